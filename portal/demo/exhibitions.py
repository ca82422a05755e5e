"""The demo's exhibitions, thematic collections and chronicle, in Chinese and English.

Blocks name their media and records by key: "@image:harbour" is a picture
drawn by portal.demo.media, "@record:J0001-002-0001-0005" a record of the demo
catalogue (left out if it is not public), "@document:catalogue" a file.
"""

THEMES = [
    # slug, Chinese, English
    ("harbour", "港口与航运", "Harbour and shipping"),
    ("industry", "工商业", "Industry and commerce"),
    ("city-life", "城市生活", "City life"),
]

INDEXES = {
    "exhibitions": (
        {
            "title": "在线展厅",
            "slug": "exhibitions",
            "introduction": "用馆藏档案讲述滨江的故事。每个展览分为若干章节，可以从头看起，也可以直接跳到感兴趣的一章。",
        },
        {
            "title": "Online exhibitions",
            "slug": "exhibitions",
            "introduction": "Stories of Binjiang told through the records in our care. Each exhibition has chapters: start at the beginning or go straight to the one that interests you.",
        },
    ),
    "collections": (
        {
            "title": "专题荟萃",
            "slug": "collections",
            "introduction": "档案工作者按主题挑选的馆藏档案，每个专题附有导读，并可在目录中继续检索。",
        },
        {
            "title": "Thematic collections",
            "slug": "collections",
            "introduction": "Records chosen by our archivists around a theme, each with an introduction and a search of the catalogue to take further.",
        },
    ),
    "chronicle": (
        {
            "title": "大事记",
            "slug": "chronicle",
            "introduction": "自1862年开埠以来滨江城市发展的重要事件，按年代排列，并链接相关档案和展览。",
        },
        {
            "title": "Chronicle",
            "slug": "chronicle",
            "introduction": "The main events in Binjiang's history since the port opened in 1862, in order, with links to the records and exhibitions that tell them.",
        },
    ),
}

# The pictures are painted for the demo: each image is credited as an
# illustration (its credit line labelled 示意图 / Illustration), in the page's
# language, never as something the archives hold.
ILLUSTRATION = (
    "为演示绘制",
    "Drawn for the demo; not held by the archives",
)
RIGHTS = ("仅供学习研究使用", "For study and research only")

IMAGES = {
    # key: (painter, seed, Chinese title and alt text, English alt text,
    #       (credit, credit in English), focal point (x, y, w, h) or None)
    # Each exhibition and collection leads with a picture of its own.
    "harbour": (
        "harbour",
        1,
        "黄昏时分的滨江港，远处是海关钟楼和码头吊车",
        "Binjiang harbour at dusk, with the customs clock tower and the wharf cranes",
        ILLUSTRATION,
        (250, 150, 420, 380),
    ),
    "harbour-night": (
        "harbour",
        7,
        "入夜的滨江港",
        "Binjiang harbour at nightfall",
        ILLUSTRATION,
        None,
    ),
    "mill": (
        "mill",
        2,
        "滨江纺织厂厂房的锯齿形屋顶与烟囱",
        "The sawtooth roofs and chimney of the Binjiang Textile Mill",
        ILLUSTRATION,
        (1200, 200, 200, 500),
    ),
    "looms": (
        "looms",
        3,
        "纺织厂车间里一排排织机",
        "Rows of looms in a weaving shed of the mill",
        ILLUSTRATION,
        None,
    ),
    "looms-2": (
        "looms",
        5,
        "织机与天窗",
        "Looms under the skylights",
        ILLUSTRATION,
        None,
    ),
    "wharf": (
        "wharf",
        4,
        "老码头上的搬运工人与货包",
        "Porters and sacks on the old wharf",
        ILLUSTRATION,
        None,
    ),
    "wharf-2": (
        "wharf",
        8,
        "码头货场",
        "The wharf's goods yard",
        ILLUSTRATION,
        None,
    ),
    "wharf-3": (
        "wharf",
        9,
        "码头上的跳板",
        "A gangway on the wharf",
        ILLUSTRATION,
        None,
    ),
    "customs-house": (
        "customs_house",
        11,
        "江边的海关大楼与钟楼",
        "The customs house and its clock tower on the bund",
        ILLUSTRATION,
        None,
    ),
    "shopfronts": (
        "shopfronts",
        12,
        "老商业街上的商号与招牌",
        "Shops and signboards on the old commercial street",
        ILLUSTRATION,
        None,
    ),
    "estate": (
        "estate",
        13,
        "河西的工人新村",
        "A workers' housing estate in Hexi",
        ILLUSTRATION,
        None,
    ),
}

DOCUMENTS = {
    # key: (kind, Chinese title)
    "catalogue": ("pdf", "《江海通衢：滨江港百年》展览图录"),
    "horn": ("wav", "汽笛与钟声（录音）"),
    "film": ("webm", "滨江港黄昏（影片）"),
    "captions": ("vtt", "滨江港黄昏（字幕）"),
    "mill-catalogue": ("pdf", "《机杼声声》展览图录"),
}


def _harbour_chapters():
    return [
        (
            "opening",
            {
                "title": "开埠与海关",
                "introduction": "1862年，滨江被辟为通商口岸，海关随之设立。",
                "body": [
                    (
                        "paragraph",
                        "<p>同治元年（1862年），滨江开埠。海关在江边建起第一座办公楼，此后八十余年间，进出口货物、船舶和税款都在这里登记。本馆所藏海关档案，正是从这座楼里移交而来。</p>",
                    ),
                    (
                        "image",
                        {
                            "image": "@image:harbour",
                            "alt_text": "黄昏时分的滨江港，远处是海关钟楼和码头吊车",
                            "caption": "海关钟楼与码头（示意图）",
                            "full_width": True,
                        },
                    ),
                    ("heading", {"heading_text": "海关的档案", "size": "h2"}),
                    (
                        "record",
                        {
                            "record": "@record:J0001-001-0001-0002",
                            "note": "滨江海关关于职员任免的呈文，1913年。",
                        },
                    ),
                    (
                        "timeline",
                        {
                            "heading": "海关大事",
                            "events": [
                                {
                                    "date": "1862-06-01",
                                    "date_label": "1862年",
                                    "title": "滨江开埠，海关设立",
                                    "text": "",
                                },
                                {
                                    "date": "1902-01-01",
                                    "date_label": "1902年",
                                    "title": "海关码头建成",
                                    "text": "第一座钢筋混凝土码头。",
                                },
                                {
                                    "date": "1927-10-13",
                                    "date_label": "1927年10月",
                                    "title": "解放北路修建工程获批",
                                    "text": "",
                                },
                            ],
                        },
                    ),
                    (
                        "quote",
                        {
                            "text": "凡船只进口，须于二十四小时内报关。",
                            "attribution": "滨江海关章程，1863年",
                        },
                    ),
                ],
            },
            {
                "title": "The port opens",
                "introduction": "In 1862 Binjiang became a treaty port, and a customs house was set up.",
                "body": [
                    (
                        "paragraph",
                        "<p>In 1862, the first year of the Tongzhi reign, Binjiang was opened to foreign trade. The customs house built its first office on the riverbank, and for more than eighty years every cargo, ship and duty was registered there. Our customs records came to us from that building.</p>",
                    ),
                    (
                        "image",
                        {
                            "image": "@image:harbour",
                            "alt_text": "Binjiang harbour at dusk, with the customs clock tower and the wharf cranes",
                            "caption": "The customs clock tower and the wharf (illustration)",
                            "full_width": True,
                        },
                    ),
                    ("heading", {"heading_text": "The customs records", "size": "h2"}),
                    (
                        "record",
                        {
                            "record": "@record:J0001-001-0001-0002",
                            "note": "The customs house petitions on staff appointments, 1913.",
                        },
                    ),
                    (
                        "timeline",
                        {
                            "heading": "The customs house",
                            "events": [
                                {
                                    "date": "1862-06-01",
                                    "date_label": "1862",
                                    "title": "The port opens; the customs house is set up",
                                    "text": "",
                                },
                                {
                                    "date": "1902-01-01",
                                    "date_label": "1902",
                                    "title": "The customs wharf is completed",
                                    "text": "The first reinforced-concrete wharf.",
                                },
                                {
                                    "date": "1927-10-13",
                                    "date_label": "October 1927",
                                    "title": "Works on Jiefang North Road approved",
                                    "text": "",
                                },
                            ],
                        },
                    ),
                    (
                        "quote",
                        {
                            "text": "Every ship entering the port shall report to the customs within twenty-four hours.",
                            "attribution": "Regulations of the Binjiang Customs, 1863",
                        },
                    ),
                ],
            },
        ),
        (
            "wharves",
            {
                "title": "码头与航运",
                "introduction": "从肩挑背扛到吊车装卸：码头上的人和货。",
                "body": [
                    (
                        "paragraph",
                        "<p>二十世纪二三十年代，滨江码头每天停靠数十艘轮船。搬运工人把货包从船舱扛上岸，再由人力车和马车运往城里的货栈。</p>",
                    ),
                    (
                        "gallery",
                        {
                            "heading": "码头旧影",
                            "images": [
                                {
                                    "image": "@image:wharf",
                                    "alt_text": "老码头上的搬运工人与货包",
                                    "caption": "搬运工人",
                                    "credit": "示意图",
                                },
                                {
                                    "image": "@image:wharf-2",
                                    "alt_text": "码头货场里堆放的货包",
                                    "caption": "货场",
                                    "credit": "示意图",
                                },
                                {
                                    "image": "@image:wharf-3",
                                    "alt_text": "停靠在码头边的轮船和跳板",
                                    "caption": "跳板",
                                    "credit": "示意图",
                                },
                            ],
                        },
                    ),
                    (
                        "record_group",
                        {
                            "heading": "航运档案",
                            "introduction": "海关关于码头和关税的呈文与批复。",
                            "records": [
                                "@record:J0001-002-0001-0002",
                                "@record:J0001-002-0001-0005",
                                "@record:J0001-002-0003-0003",
                            ],
                        },
                    ),
                    (
                        "audio",
                        {
                            "title": "汽笛与钟声",
                            "audio": "@document:horn",
                            "transcript": "<p>（一声长汽笛，随后是港口的钟声。）</p>",
                            "credit": "滨江市档案馆声像档案",
                        },
                    ),
                ],
            },
            {
                "title": "Wharves and shipping",
                "introduction": "From porters' shoulders to cranes: the people and goods of the wharf.",
                "body": [
                    (
                        "paragraph",
                        "<p>In the 1920s and 1930s dozens of steamers called at Binjiang every day. Porters carried the sacks from the holds to the quay, and rickshaws and carts took them on to the warehouses in town.</p>",
                    ),
                    (
                        "gallery",
                        {
                            "heading": "The old wharf",
                            "images": [
                                {
                                    "image": "@image:wharf",
                                    "alt_text": "Porters and sacks on the old wharf",
                                    "caption": "Porters",
                                    "credit": "Illustration",
                                },
                                {
                                    "image": "@image:wharf-2",
                                    "alt_text": "Sacks piled in the wharf's goods yard",
                                    "caption": "The goods yard",
                                    "credit": "Illustration",
                                },
                                {
                                    "image": "@image:wharf-3",
                                    "alt_text": "A steamer moored at the wharf, with its gangway",
                                    "caption": "The gangway",
                                    "credit": "Illustration",
                                },
                            ],
                        },
                    ),
                    (
                        "record_group",
                        {
                            "heading": "Shipping records",
                            "introduction": "Petitions and replies of the customs house on the wharves and duties.",
                            "records": [
                                "@record:J0001-002-0001-0002",
                                "@record:J0001-002-0001-0005",
                                "@record:J0001-002-0003-0003",
                            ],
                        },
                    ),
                    (
                        "audio",
                        {
                            "title": "A ship's horn and harbour bells",
                            "audio": "@document:horn",
                            "transcript": "<p>(A long blast of a ship's horn, then the harbour bells.)</p>",
                            "credit": "Audiovisual records of the Binjiang Municipal Archives",
                        },
                    ),
                ],
            },
        ),
        (
            "new-port",
            {
                "title": "新港建设",
                "introduction": "1956年，新码头落成，滨江港走向现代化。",
                "body": [
                    (
                        "paragraph",
                        "<p>1956年，市人民政府批准码头扩建计划。新码头配备了电动吊车，万吨轮第一次靠上了滨江的岸边。</p>",
                    ),
                    (
                        "video",
                        {
                            "title": "滨江港黄昏",
                            "video": "@document:film",
                            "poster": "@image:harbour-night",
                            "captions": "@document:captions",
                            "transcript": "<p>滨江港，黄昏。新码头的吊车停了下来。</p>",
                            "credit": "滨江市档案馆声像档案",
                        },
                    ),
                    (
                        "record",
                        {
                            "record": "@record:J0003-001-0005-0004",
                            "note": "纺织厂关于经集装箱码头发运出口棉布的报告，1989年。",
                        },
                    ),
                    (
                        "document",
                        {
                            "document": "@document:catalogue",
                            "title": "下载展览图录",
                            "description": "本展览的全部图文，供阅读和打印。",
                        },
                    ),
                ],
            },
            {
                "title": "The new port",
                "introduction": "In 1956 the new wharf opened and the harbour entered the modern age.",
                "body": [
                    (
                        "paragraph",
                        "<p>In 1956 the city government approved the plan to extend the wharf. The new quay had electric cranes, and ten-thousand-ton ships berthed at Binjiang for the first time.</p>",
                    ),
                    (
                        "video",
                        {
                            "title": "Binjiang harbour at dusk",
                            "video": "@document:film",
                            "poster": "@image:harbour-night",
                            "captions": "@document:captions",
                            "transcript": "<p>Binjiang harbour at dusk. The cranes on the new wharf fall still.</p>",
                            "credit": "Audiovisual records of the Binjiang Municipal Archives",
                        },
                    ),
                    (
                        "record",
                        {
                            "record": "@record:J0003-001-0005-0004",
                            "note": "The textile mill reports on shipping its cotton cloth through the container wharf, 1989.",
                        },
                    ),
                    (
                        "document",
                        {
                            "document": "@document:catalogue",
                            "title": "Download the exhibition catalogue",
                            "description": "All the text and pictures of this exhibition, to read and print.",
                        },
                    ),
                ],
            },
        ),
    ]


def _mill_chapters():
    return [
        (
            "founding",
            {
                "title": "建厂",
                "introduction": "1921年，滨江纺织厂在河西开工。",
                "body": [
                    (
                        "paragraph",
                        "<p>1921年，几位本地商人集资在河西购地建厂，从上海购进织机四百台。开工那天，厂门外挤满了前来应招的女工。</p>",
                    ),
                    (
                        "image",
                        {
                            "image": "@image:mill",
                            "alt_text": "滨江纺织厂厂房的锯齿形屋顶与烟囱",
                            "caption": "纺织厂厂房（示意图）",
                            "credit": "示意图",
                            "rights_statement": "仅供学习研究使用",
                        },
                    ),
                    (
                        "record",
                        {
                            "record": "@record:J0003-001-0002-0003",
                            "note": "纺织厂关于职员任用的通知，1936年。",
                        },
                    ),
                ],
            },
            {
                "title": "Founding",
                "introduction": "In 1921 the Binjiang Textile Mill started work in Hexi.",
                "body": [
                    (
                        "paragraph",
                        "<p>In 1921 a few local merchants pooled their money, bought land in Hexi and ordered four hundred looms from Shanghai. On the first day the gate was crowded with women looking for work.</p>",
                    ),
                    (
                        "image",
                        {
                            "image": "@image:mill",
                            "alt_text": "The sawtooth roofs and chimney of the Binjiang Textile Mill",
                            "caption": "The mill (illustration)",
                            "credit": "Illustration",
                            "rights_statement": "For study and research only",
                        },
                    ),
                    (
                        "record",
                        {
                            "record": "@record:J0003-001-0002-0003",
                            "note": "The mill gives notice of staff appointments, 1936.",
                        },
                    ),
                ],
            },
        ),
        (
            "weavers",
            {
                "title": "织机旁的人",
                "introduction": "三班倒的车间里，女工们撑起了半个厂。",
                "body": [
                    (
                        "paragraph",
                        "<p>五十年代，纺织厂实行三班倒，女工占职工总数的七成以上。厂里办起了托儿所、夜校和职工食堂。</p>",
                    ),
                    (
                        "gallery",
                        {
                            "heading": "车间",
                            "images": [
                                {
                                    "image": "@image:looms",
                                    "alt_text": "纺织厂车间里一排排织机",
                                    "caption": "织布车间",
                                    "credit": "示意图",
                                },
                                {
                                    "image": "@image:looms-2",
                                    "alt_text": "天窗下的织机",
                                    "caption": "天窗下的织机",
                                    "credit": "示意图",
                                },
                            ],
                        },
                    ),
                    (
                        "quote",
                        {
                            "text": "机器一响，一天就开始了。",
                            "attribution": "一位老织工的回忆",
                        },
                    ),
                    (
                        "record_group",
                        {
                            "heading": "车间档案",
                            "introduction": "",
                            "records": [
                                "@record:J0003-002-0003-0003",
                                "@record:J0003-001-0004-0002",
                            ],
                        },
                    ),
                    (
                        "timeline",
                        {
                            "heading": "纺织厂七十年",
                            "events": [
                                {
                                    "date": "1921-03-01",
                                    "date_label": "1921年",
                                    "title": "建厂开工",
                                    "text": "",
                                },
                                {
                                    "date": "1956-01-01",
                                    "date_label": "1956年",
                                    "title": "公私合营",
                                    "text": "",
                                },
                                {
                                    "date": "1998-12-31",
                                    "date_label": "1998年",
                                    "title": "改制停产",
                                    "text": "",
                                },
                            ],
                        },
                    ),
                    (
                        "document",
                        {
                            "document": "@document:mill-catalogue",
                            "title": "",
                            "description": "展览图录。",
                        },
                    ),
                    (
                        "audio",
                        {
                            "title": "车间的声音",
                            "audio": "@document:horn",
                            "transcript": "<p>（织机的轰鸣与下班的钟声。）</p>",
                            "credit": "",
                        },
                    ),
                    (
                        "video",
                        {
                            "title": "江边的工厂",
                            "video": "@document:film",
                            "poster": "@image:mill",
                            "captions": None,
                            "transcript": "<p>无解说。</p>",
                            "credit": "",
                        },
                    ),
                ],
            },
            {
                "title": "The people at the looms",
                "introduction": "In sheds that ran three shifts, the women kept half the mill going.",
                "body": [
                    (
                        "paragraph",
                        "<p>In the 1950s the mill ran three shifts, and women were more than seventy per cent of its workers. The mill opened a nursery, a night school and a canteen.</p>",
                    ),
                    (
                        "gallery",
                        {
                            "heading": "The weaving sheds",
                            "images": [
                                {
                                    "image": "@image:looms",
                                    "alt_text": "Rows of looms in a weaving shed of the mill",
                                    "caption": "A weaving shed",
                                    "credit": "Illustration",
                                },
                                {
                                    "image": "@image:looms-2",
                                    "alt_text": "Looms under the skylights",
                                    "caption": "Looms under the skylights",
                                    "credit": "Illustration",
                                },
                            ],
                        },
                    ),
                    (
                        "quote",
                        {
                            "text": "When the machines started, the day began.",
                            "attribution": "An old weaver remembers",
                        },
                    ),
                    (
                        "record_group",
                        {
                            "heading": "Records of the sheds",
                            "introduction": "",
                            "records": [
                                "@record:J0003-002-0003-0003",
                                "@record:J0003-001-0004-0002",
                            ],
                        },
                    ),
                    (
                        "timeline",
                        {
                            "heading": "Seventy years of the mill",
                            "events": [
                                {
                                    "date": "1921-03-01",
                                    "date_label": "1921",
                                    "title": "The mill opens",
                                    "text": "",
                                },
                                {
                                    "date": "1956-01-01",
                                    "date_label": "1956",
                                    "title": "Joint state-private ownership",
                                    "text": "",
                                },
                                {
                                    "date": "1998-12-31",
                                    "date_label": "1998",
                                    "title": "Restructured and closed",
                                    "text": "",
                                },
                            ],
                        },
                    ),
                    (
                        "document",
                        {
                            "document": "@document:mill-catalogue",
                            "title": "",
                            "description": "The exhibition catalogue.",
                        },
                    ),
                    (
                        "audio",
                        {
                            "title": "Sounds of the shed",
                            "audio": "@document:horn",
                            "transcript": "<p>(The roar of the looms and the bell at the end of a shift.)</p>",
                            "credit": "",
                        },
                    ),
                    (
                        "video",
                        {
                            "title": "The mill by the river",
                            "video": "@document:film",
                            "poster": "@image:mill",
                            "captions": None,
                            "transcript": "<p>No narration.</p>",
                            "credit": "",
                        },
                    ),
                ],
            },
        ),
    ]


# (slug, hero, theme, start, end, Chinese, English, chapters)
EXHIBITIONS = [
    (
        "harbour",
        "harbour",
        "harbour",
        "2026-05-18",
        "2027-05-17",
        {
            "title": "江海通衢：滨江港百年",
            "introduction": "从1862年开埠到1956年新港落成，海关、码头和轮船档案讲述一座港口城市的百年。",
            "curator": "滨江市档案馆编研处",
            "credits": "<p>策展：滨江市档案馆编研处</p><ul><li>档案：滨江海关全宗（J0001）、滨江纺织厂全宗（J0003）</li><li>示意图：本馆数字化部绘制，并非馆藏档案</li><li>声像：本馆声像档案</li></ul>",
            "body": [
                (
                    "paragraph",
                    "<p>滨江因港而兴。本展览分三章，用海关、码头和轮船公司的档案，讲述这座城市怎样从江边的小镇成长为沿海的重要港口。</p>",
                ),
            ],
        },
        {
            "title": "Where River Meets Sea: A Century of Binjiang Harbour",
            "introduction": "From the opening of the port in 1862 to the new wharf of 1956, the records of the customs house, the wharves and the shipping lines tell the story of a harbour city.",
            "curator": "Research and Publications Office, Binjiang Municipal Archives",
            "credits": "<p>Curated by the Research and Publications Office of the Binjiang Municipal Archives.</p><ul><li>Records: Binjiang Customs House (J0001), Binjiang Textile Mill (J0003)</li><li>Illustrations (示意图): drawn by our digitization department, not records in our holdings</li><li>Sound and film: our audiovisual records</li></ul>",
            "body": [
                (
                    "paragraph",
                    "<p>Binjiang grew with its harbour. In three chapters, the records of the customs house, the wharves and the shipping companies show how a riverside town became one of the coast's great ports.</p>",
                ),
            ],
        },
        _harbour_chapters,
    ),
    (
        "textile-mill",
        "mill",
        "industry",
        "2025-03-01",
        "2025-12-31",
        {
            "title": "机杼声声：滨江纺织厂七十年",
            "introduction": "1921年至1998年，一座纺织厂和几代纺织工人的故事。",
            "curator": "王秀英",
            "credits": "<p>策展：王秀英</p><p>感谢滨江纺织厂退休职工协会提供口述资料。</p><p>示意图：本馆数字化部绘制，并非馆藏档案。</p>",
            "body": [
                (
                    "paragraph",
                    "<p>滨江纺织厂曾是全市最大的工厂。本展览根据纺织厂移交的行政和生产技术档案，讲述它七十多年的历程。</p>",
                ),
            ],
        },
        {
            "title": "The Sound of Looms: Seventy Years of the Binjiang Textile Mill",
            "introduction": "From 1921 to 1998: a mill and the generations who worked in it.",
            "curator": "Wang Xiuying",
            "credits": "<p>Curated by Wang Xiuying.</p><p>With thanks to the mill's retired workers' association for their recollections.</p><p>Illustrations (示意图): drawn by our digitization department, not records in our holdings.</p>",
            "body": [
                (
                    "paragraph",
                    "<p>The Binjiang Textile Mill was once the largest factory in the city. Drawing on the administrative and technical records the mill transferred to us, this exhibition follows its seventy years.</p>",
                ),
            ],
        },
        _mill_chapters,
    ),
]

# Drafted by the editor and waiting for the reviewer: shows the moderation workflow.
PENDING_EXHIBITION = {
    "slug": "chamber-of-commerce",
    "title": "百年商会",
    "introduction": "滨江市商会从1904年到1956年的档案。",
    "curator": "滨江市档案馆编研处",
    "start_date": "2027-03-01",
    "end_date": "2027-09-30",
}

# (slug, hero, theme, records, saved query, saved filters, Chinese, English)
COLLECTIONS = [
    (
        "customs",
        "customs-house",
        "harbour",
        [
            "J0001-001-0001-0002",
            "J0001-002-0004-0004",
            "J0001-002-0005-0006",
            "J0001-002-0001-0002",
            "J0001-002-0003-0003",
            "J0001-002-0001-0005",
            "J0001-003-0002-0004",
        ],
        "码头",
        "repository=120101",
        {
            "title": "海关档案选粹",
            "introduction": "滨江海关1902年至1949年的呈文、报告和工作总结，记录了港口的日常。",
            "body": [
                (
                    "paragraph",
                    "<p>海关档案是本馆最早的全宗之一。这里挑选的档案涉及码头、航运和税务，按时间排列。</p>",
                )
            ],
        },
        {
            "title": "From the customs house",
            "introduction": "Petitions, reports and annual summaries of the Binjiang Customs House, 1902–1949: the daily life of a port.",
            "body": [
                (
                    "paragraph",
                    "<p>The customs records are among our oldest fonds. The records chosen here deal with the wharves, shipping and duties, in order of date.</p>",
                )
            ],
        },
    ),
    (
        "chamber",
        "shopfronts",
        "industry",
        [
            "J0002-001-0001-0001",
            "J0002-002-0001-0004",
            "J0002-001-0002-0003",
            "J0002-002-0003-0002",
            "J0002-002-0002-0005",
            "J0002-002-0004-0002",
        ],
        "",
        "",
        {
            "title": "商会与城市商业",
            "introduction": "滨江市商会档案中的商业往来、交通和码头事务。",
            "body": [
                (
                    "paragraph",
                    "<p>1904年成立的滨江市商会代表全市商户与官方交涉。它的档案是研究近代滨江商业的第一手资料。</p>",
                )
            ],
        },
        {
            "title": "The Chamber of Commerce and the city's trade",
            "introduction": "Trade, transport and the wharves in the records of the Binjiang Chamber of Commerce.",
            "body": [
                (
                    "paragraph",
                    "<p>Founded in 1904, the Chamber of Commerce spoke for the city's merchants before the authorities. Its records are a primary source for the history of trade in Binjiang.</p>",
                )
            ],
        },
    ),
    (
        "mill-life",
        "estate",
        "city-life",
        [
            "J0003-001-0002-0003",
            "J0003-002-0003-0003",
            "J0003-001-0004-0002",
            "J0003-001-0003-0005",
            "X0001-001-0002-0003",
            "J0003-001-0005-0004",
        ],
        "",
        "repository=120101&fonds=120101/J0003",
        {
            "title": "纺织厂的日常",
            "introduction": "工作总结、任命通知和情况报告里的纺织厂生活。",
            "body": [
                (
                    "paragraph",
                    "<p>这些档案来自滨江纺织厂的行政和生产技术类，从1950年代一直到1980年代末。</p>",
                )
            ],
        },
        {
            "title": "Daily life at the textile mill",
            "introduction": "Life at the mill in its annual summaries, appointments and reports.",
            "body": [
                (
                    "paragraph",
                    "<p>These records come from the mill's administration and production series, from the 1950s to the end of the 1980s.</p>",
                )
            ],
        },
    ),
]

# (slug, start, end, precision, circa, Chinese title, Chinese text, English title, English text, records, links)
CHRONICLE = [
    (
        "1862-port-opens",
        "1862-06-01",
        None,
        "month",
        False,
        "滨江开埠",
        "滨江被辟为通商口岸，海关随即设立，江边开始修建洋行和货栈。",
        "The port opens",
        "Binjiang becomes a treaty port; a customs house is set up and merchant houses and warehouses rise on the riverbank.",
        [],
        ["@exhibition:harbour"],
    ),
    (
        "1870s-bund",
        "1875-01-01",
        None,
        "decade",
        False,
        "江边马路成形",
        "沿江的洋行、货栈连成一片，形成后来的解放北路。",
        "The riverside road takes shape",
        "The merchant houses and warehouses along the river join up into the street later called Jiefang North Road.",
        [],
        [],
    ),
    (
        "1880-hospital",
        "1880-01-01",
        None,
        "year",
        True,
        "第一所西式医院",
        "教会在老城厢东门外开办医院，设病床二十张。",
        "The first Western hospital",
        "A mission opens a hospital with twenty beds outside the East Gate of the old town.",
        [],
        [],
    ),
    (
        "1895-telegraph",
        "1895-09-01",
        None,
        "month",
        False,
        "电报局开办",
        "滨江电报局开办，可与上海、天津通报。",
        "The telegraph office opens",
        "The Binjiang telegraph office opens, with lines to Shanghai and Tianjin.",
        [],
        [],
    ),
    (
        "1902-customs-wharf",
        "1902-05-01",
        None,
        "month",
        False,
        "海关码头建成",
        "第一座钢筋混凝土码头建成，可同时停靠三艘轮船。",
        "The customs wharf is completed",
        "The first reinforced-concrete wharf is finished, with berths for three steamers at once.",
        [],
        ["@exhibition:harbour"],
    ),
    (
        "1904-chamber",
        "1904-08-18",
        None,
        "day",
        False,
        "滨江商会成立",
        "全市商户推举董事，成立滨江商会。",
        "The Chamber of Commerce is founded",
        "The city's merchants elect a board and found the Binjiang Chamber of Commerce.",
        ["J0002-001-0001-0001"],
        ["@collection:chamber"],
    ),
    (
        "1906-electric-light",
        "1906-01-01",
        None,
        "year",
        False,
        "电灯公司供电",
        "商办电灯公司开始向解放北路商户供电。",
        "Electric light",
        "A private electric company begins supplying the shops of Jiefang North Road.",
        [],
        [],
    ),
    (
        "1909-railway",
        "1909-10-01",
        None,
        "month",
        False,
        "铁路通车",
        "北站落成，滨江至省城铁路通车。",
        "The railway arrives",
        "The North Station opens and trains run to the provincial capital.",
        [],
        [],
    ),
    (
        "1912-republic",
        "1912-01-01",
        None,
        "year",
        False,
        "民国肇建",
        "滨江设市政公所，管理道路、路灯和消防。",
        "The Republic",
        "A municipal office is set up to run the roads, street lights and fire brigade.",
        [],
        [],
    ),
    (
        "1914-flood-works",
        "1914-07-04",
        None,
        "day",
        False,
        "江堤加固",
        "海关与商会合力加固江堤，工期三个月。",
        "The embankment is strengthened",
        "The customs house and the chamber of commerce strengthen the river embankment in three months of work.",
        ["J0001-002-0004-0004"],
        [],
    ),
    (
        "1921-textile-mill",
        "1921-03-01",
        None,
        "month",
        False,
        "滨江纺织厂开工",
        "本地商人集资在河西建厂，购进织机四百台。",
        "The textile mill opens",
        "Local merchants build a mill in Hexi with four hundred looms.",
        [],
        ["@exhibition:textile-mill"],
    ),
    (
        "1927-jiefang-road",
        "1927-10-13",
        None,
        "day",
        False,
        "解放北路拓宽",
        "市政当局批准拓宽江边马路，拆除部分货栈。",
        "Jiefang North Road widened",
        "The city approves the widening of the riverside road and the demolition of some warehouses.",
        ["J0001-002-0005-0006"],
        [],
    ),
    (
        "1928-city",
        "1928-07-01",
        None,
        "month",
        False,
        "滨江市政府成立",
        "滨江正式设市，市政府设于老城厢。",
        "Binjiang becomes a city",
        "Binjiang is incorporated as a city, with its government in the old town.",
        [],
        [],
    ),
    (
        "1931-flood",
        "1931-08-01",
        None,
        "month",
        False,
        "大水",
        "江水漫过江堤，河西一带受灾，商会设粥厂赈济。",
        "The great flood",
        "The river breaks over the embankment and floods Hexi; the chamber of commerce opens soup kitchens.",
        [],
        [],
    ),
    (
        "1933-shipping",
        "1933-04-18",
        None,
        "day",
        False,
        "西沽码头获批修建",
        "海关批准在西沽修建新的货运码头。",
        "A new wharf at Xigu",
        "The customs house approves a new cargo wharf at Xigu.",
        ["J0001-002-0001-0005"],
        [],
    ),
    (
        "1934-waterworks",
        "1934-01-01",
        None,
        "year",
        False,
        "自来水厂供水",
        "城北自来水厂建成，老城厢开始通自来水。",
        "Running water",
        "The northern waterworks are built and the old town gets running water.",
        [],
        [],
    ),
    (
        "1937-occupation",
        "1937-11-01",
        None,
        "month",
        False,
        "滨江沦陷",
        "日军占领滨江，海关和商会业务大部停顿。",
        "The city falls",
        "Japanese troops occupy Binjiang; most business of the customs house and the chamber stops.",
        [],
        [],
    ),
    (
        "1945-recovery",
        "1945-09-01",
        None,
        "month",
        False,
        "抗战胜利，滨江光复",
        "市政府迁回，海关恢复办公。",
        "The city is recovered",
        "The city government returns and the customs house reopens.",
        [],
        [],
    ),
    (
        "1949-liberation",
        "1949-01-15",
        None,
        "day",
        False,
        "滨江解放",
        "人民解放军进入滨江，成立军事管制委员会。",
        "Liberation of Binjiang",
        "The People's Liberation Army enters the city and sets up a military control commission.",
        [],
        [],
    ),
    (
        "1949-celebration",
        "1949-10-01",
        None,
        "day",
        False,
        "庆祝中华人民共和国成立",
        "全市各界在江边广场集会，庆祝中华人民共和国成立。",
        "The founding of the People's Republic celebrated",
        "People from all walks of life gather on the riverside square to celebrate the founding of the People's Republic of China.",
        [],
        [],
    ),
    (
        "1950-hexi-district",
        "1950-05-01",
        None,
        "month",
        False,
        "河西区人民政府成立",
        "河西区人民政府成立，管理纺织厂一带的街道。",
        "Hexi District government",
        "The Hexi District People's Government is set up to run the streets around the mill.",
        [],
        [],
    ),
    (
        "1951-mill-summary",
        "1951-04-13",
        None,
        "day",
        False,
        "纺织厂首次评选劳动模范",
        "纺织厂评出第一批劳动模范，多为女工。",
        "The mill's first model workers",
        "The mill names its first model workers, most of them women.",
        ["J0003-002-0003-0003"],
        ["@collection:mill-life"],
    ),
    (
        "1956-joint-ownership",
        "1956-01-01",
        None,
        "month",
        False,
        "公私合营",
        "纺织厂等企业实行公私合营。",
        "Joint state-private ownership",
        "The textile mill and other firms become joint state-private enterprises.",
        ["J0003-001-0003-0005"],
        [],
    ),
    (
        "1956-new-wharf",
        "1956-03-12",
        "1956-10-01",
        "day",
        False,
        "新码头建设",
        "码头扩建工程开工，当年国庆节前竣工。",
        "The new wharf is built",
        "Work on the wharf extension begins and is finished before National Day.",
        [],
        ["@exhibition:harbour"],
    ),
    (
        "1959-archives",
        "1959-06-01",
        None,
        "month",
        False,
        "滨江市档案馆成立",
        "市档案馆成立，开始接收海关、商会等旧政权档案。",
        "The municipal archives are founded",
        "The city archives are founded and begin taking in the records of the customs house and the chamber of commerce.",
        [],
        [],
    ),
    (
        "1960s-housing",
        "1965-01-01",
        None,
        "decade",
        False,
        "工人新村",
        "河西陆续建起工人新村，纺织厂职工搬进楼房。",
        "Workers' housing estates",
        "New workers' estates go up in Hexi and the mill's workers move into flats.",
        ["X0001-001-0002-0003"],
        [],
    ),
    (
        "1972-bridge",
        "1972-05-01",
        None,
        "month",
        False,
        "滨江大桥通车",
        "第一座跨江公路桥建成通车。",
        "The Binjiang bridge opens",
        "The first road bridge across the river opens.",
        [],
        [],
    ),
    (
        "1978-reform",
        "1978-12-01",
        None,
        "month",
        False,
        "改革开放",
        "港口恢复对外贸易，外轮重新进港。",
        "Reform and opening",
        "The port resumes foreign trade and foreign ships return.",
        [],
        [],
    ),
    (
        "1984-open-city",
        "1984-04-01",
        None,
        "month",
        False,
        "沿海开放城市",
        "滨江被列为沿海开放城市，设立经济技术开发区。",
        "An open coastal city",
        "Binjiang is named an open coastal city and an economic development zone is set up.",
        [],
        [],
    ),
    (
        "1989-container",
        "1989-08-15",
        None,
        "day",
        False,
        "集装箱码头",
        "第一座集装箱码头投入使用。",
        "The container terminal",
        "The first container terminal opens.",
        ["J0003-001-0005-0004"],
        [],
    ),
    (
        "1998-mill-closes",
        "1998-12-31",
        None,
        "day",
        False,
        "纺织厂改制停产",
        "滨江纺织厂改制，老厂房停产。",
        "The mill closes",
        "The Binjiang Textile Mill is restructured and the old sheds fall silent.",
        [],
        ["@exhibition:textile-mill"],
    ),
    (
        "2005-hexi-archives",
        "2005-01-01",
        None,
        "year",
        False,
        "河西区档案移交",
        "河西区人民政府1950年至2005年的档案移交区档案馆。",
        "Hexi District records transferred",
        "The records of the Hexi District government, 1950–2005, are transferred to the district archives.",
        [],
        [],
    ),
    (
        "2010-mill-park",
        "2010-09-01",
        None,
        "month",
        False,
        "纺织厂旧址改建为文化园",
        "纺织厂老厂房保留下来，改建为文化创意园。",
        "The mill becomes a cultural park",
        "The old sheds of the mill are kept and turned into a cultural park.",
        [],
        [],
    ),
    (
        "2016-new-building",
        "2016-10-01",
        None,
        "month",
        False,
        "档案馆新馆落成",
        "市档案馆新馆在河西区落成，库房面积2.4万平方米。",
        "The archives' new building",
        "The city archives move into a new building in Hexi with 24,000 square metres of storage.",
        [],
        [],
    ),
    (
        "2026-online-exhibitions",
        "2026-05-18",
        None,
        "day",
        False,
        "网上展厅开放",
        "档案信息公共服务平台开放在线展厅和专题荟萃。",
        "Online exhibitions open",
        "The archive portal opens its online exhibitions and thematic collections.",
        [],
        ["@exhibition:harbour", "@collection:customs"],
    ),
]
