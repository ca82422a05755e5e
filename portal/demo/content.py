"""The demo archive's text: a fictional city archive, written as a real one would.

Each page is given in Chinese (the default language) and English. Later parts of
the product (catalogue, exhibitions, chronicle) add their own demo content.
"""

ARCHIVE = {
    "archive_name": "滨江市档案馆",
    "archive_name_en": "Binjiang Municipal Archives",
    "address": "滨江市河西区解放北路118号",
    "address_en": "118 Jiefang North Road, Hexi District, Binjiang",
    "opening_hours": "周一至周五 9:00–17:00（法定节假日闭馆）",
    "opening_hours_en": "Monday to Friday, 9:00–17:00 (closed on public holidays)",
    "phone": "022-2345 6789",
    "email": "service@archives.binjiang.example",
    "icp_licence": "滨ICP备05001862号",
}

HOME = {
    "zh": {
        "title": "滨江市档案馆",
        # Locale home pages are siblings under the root: their slugs must differ
        # from each other and from Wagtail's placeholder "home" (they never
        # appear in URLs).
        "slug": "home-zh",
        # Searches that find something in the demo catalogue.
        "search_examples": "码头, 海关税务, 纺织厂, 1956",
        "introduction": (
            "保存城市记忆，服务社会公众。滨江市档案馆收藏自1862年开埠以来的城市档案，"
            "向社会开放的档案目录与数字化全文均可在线查阅。"
        ),
        "body": [
            ("heading", {"heading_text": "馆藏一览", "size": "h2"}),
            (
                "paragraph",
                "<p>本馆现有馆藏档案612个全宗、127万余卷（件），其中历史档案18万余卷，"
                "时间跨度自清同治元年（1862年）至今。馆藏涵盖开埠通商、市政建设、"
                "工商业发展、教育卫生和城市生活等各个方面。</p>",
            ),
            ("heading", {"heading_text": "查阅档案", "size": "h2"}),
            (
                "paragraph",
                "<p>已开放档案可凭有效身份证件到馆查阅，部分档案已完成数字化，"
                "可在网上查看影像与全文。查阅未开放档案须按《中华人民共和国档案法》"
                "规定办理审批手续。</p>",
            ),
            (
                "quote",
                {
                    "text": "档案是历史的真实记录，是城市不可替代的记忆。",
                    "attribution": "滨江市档案馆馆训",
                },
            ),
        ],
    },
    "en": {
        "title": "Binjiang Municipal Archives",
        "slug": "home-en",
        "search_examples": "customs, tax, wharf, 1931",
        "introduction": (
            "Keeping the city's memory and serving its public. The Binjiang Municipal "
            "Archives hold the city's records since the port opened in 1862; the open "
            "catalogue and the full text of digitized records can be searched online."
        ),
        "body": [
            ("heading", {"heading_text": "Our holdings", "size": "h2"}),
            (
                "paragraph",
                "<p>The archives hold 612 fonds with more than 1.27 million files and "
                "items, of which over 180,000 are historical records. They span from "
                "1862, the first year of the Tongzhi reign, to the present day, and "
                "cover the treaty port, municipal works, industry and commerce, "
                "education, public health and everyday life in the city.</p>",
            ),
            ("heading", {"heading_text": "Consulting the records", "size": "h2"}),
            (
                "paragraph",
                "<p>Open records can be consulted in the reading room with valid "
                "identification, and many have been digitized and can be read online. "
                "Access to records that are not yet open requires approval under the "
                "Archives Law of the People's Republic of China.</p>",
            ),
            (
                "quote",
                {
                    "text": "Archives are the true record of history and the "
                    "irreplaceable memory of a city.",
                    "attribution": "Motto of the Binjiang Municipal Archives",
                },
            ),
        ],
    },
}

# (key, parent key, Chinese, English); the key is the Chinese page's slug.
PAGES = [
    (
        "holdings",
        None,
        {
            "title": "馆藏介绍",
            "introduction": "本馆收藏的全宗、资料与数字化成果概况。",
            "body": [
                (
                    "paragraph",
                    "<p>馆藏档案按全宗管理。历史档案以清末海关、租界工部局、"
                    "民国市政府及商会档案为主；现行档案包括新中国成立以来市级机关、"
                    "国有企业和事业单位移交的文书、科技、会计和声像档案。</p>",
                ),
                ("heading", {"heading_text": "重点全宗", "size": "h2"}),
                (
                    "paragraph",
                    "<ul><li>滨江海关档案（1862—1949年）</li>"
                    "<li>滨江市商会档案（1904—1956年）</li>"
                    "<li>滨江市人民政府档案（1949年至今）</li>"
                    "<li>滨江纺织厂档案（1921—1998年）</li></ul>",
                ),
                ("heading", {"heading_text": "数字化", "size": "h2"}),
                (
                    "paragraph",
                    "<p>截至2025年底，本馆已完成48万卷档案的数字化，"
                    "形成页面影像3,200余万页，其中开放档案的影像与全文可在网上查阅。</p>",
                ),
            ],
        },
        {
            "title": "Our holdings",
            "slug": "holdings",
            "introduction": "The fonds, library and digitized records in our care.",
            "body": [
                (
                    "paragraph",
                    "<p>Our records are arranged by fonds. The historical records come "
                    "mainly from the late-Qing customs house, the concession's municipal "
                    "council, the Republican-era city government and the chamber of "
                    "commerce; the modern records are the administrative, technical, "
                    "financial and audiovisual records transferred by city offices, "
                    "state enterprises and public institutions since 1949.</p>",
                ),
                ("heading", {"heading_text": "Principal fonds", "size": "h2"}),
                (
                    "paragraph",
                    "<ul><li>Binjiang Customs House (1862–1949)</li>"
                    "<li>Binjiang Chamber of Commerce (1904–1956)</li>"
                    "<li>Binjiang Municipal People's Government (1949–present)</li>"
                    "<li>Binjiang Textile Mill (1921–1998)</li></ul>",
                ),
                ("heading", {"heading_text": "Digitization", "size": "h2"}),
                (
                    "paragraph",
                    "<p>By the end of 2025 we had digitized 480,000 files, more than 32 "
                    "million page images; the images and full text of open records can "
                    "be read online.</p>",
                ),
            ],
        },
    ),
    (
        "services",
        None,
        {
            "title": "利用服务",
            "introduction": "到馆查档、网上查询和档案证明的办理方式。",
            "body": [
                ("heading", {"heading_text": "到馆查阅", "size": "h2"}),
                (
                    "paragraph",
                    "<p>阅览室开放时间为周一至周五9:00—17:00。查阅者须出示居民身份证"
                    "或其他有效证件，单位查档须持介绍信。每人每次最多调阅20卷。</p>",
                ),
                ("heading", {"heading_text": "网上查询", "size": "h2"}),
                (
                    "paragraph",
                    "<p>开放档案目录和已数字化档案的全文可在本网站检索。"
                    "网上查询不需要注册。</p>",
                ),
                ("heading", {"heading_text": "复制与证明", "size": "h2"}),
                (
                    "paragraph",
                    "<p>婚姻、学籍、工龄等民生档案可在本馆或各区档案馆"
                    "“就近查档、跨馆出证”，一般当场办结。</p>",
                ),
            ],
        },
        {
            "title": "Using the archives",
            "slug": "services",
            "introduction": "Visiting the reading room, searching online and "
            "obtaining certified copies.",
            "body": [
                (
                    "heading",
                    {"heading_text": "Visiting the reading room", "size": "h2"},
                ),
                (
                    "paragraph",
                    "<p>The reading room is open Monday to Friday, 9:00 to 17:00. "
                    "Please bring an identity card or passport; organisations need a "
                    "letter of introduction. Up to 20 files can be ordered per visit.</p>",
                ),
                ("heading", {"heading_text": "Searching online", "size": "h2"}),
                (
                    "paragraph",
                    "<p>The open catalogue and the full text of digitized records can be "
                    "searched on this website without registering.</p>",
                ),
                ("heading", {"heading_text": "Copies and certificates", "size": "h2"}),
                (
                    "paragraph",
                    "<p>Certified copies of marriage, school and employment records can "
                    "be obtained here or at any district archive, usually on the same "
                    "day.</p>",
                ),
            ],
        },
    ),
    (
        "reading-room-rules",
        "services",
        {
            "title": "阅览室须知",
            "introduction": "为保护档案原件，请查阅者遵守以下规定。",
            "body": [
                (
                    "paragraph",
                    "<ol><li>请将随身物品存入寄存柜，只携带铅笔和纸张进入阅览室。</li>"
                    "<li>翻阅档案时请保持双手清洁，不得折叠、涂改或拆卷。</li>"
                    "<li>拍照须经工作人员同意，不得使用闪光灯。</li>"
                    "<li>已数字化的档案原则上提供影像，不再调阅原件。</li></ol>",
                )
            ],
        },
        {
            "title": "Reading room rules",
            "slug": "reading-room-rules",
            "introduction": "To protect the originals, we ask every reader to follow "
            "these rules.",
            "body": [
                (
                    "paragraph",
                    "<ol><li>Leave bags in the lockers; bring only pencils and paper.</li>"
                    "<li>Handle records with clean hands; never fold, mark or unbind "
                    "them.</li><li>Photography needs the staff's consent and no "
                    "flash.</li><li>Digitized records are normally shown as images "
                    "rather than originals.</li></ol>",
                )
            ],
        },
    ),
    (
        "about",
        None,
        {
            "title": "关于本馆",
            "introduction": "滨江市档案馆的历史、职能与联系方式。",
            "body": [
                (
                    "paragraph",
                    "<p>滨江市档案馆成立于1959年，是市政府直属的公益性文化事业机构，"
                    "负责收集、保管全市重要档案，并向社会提供利用服务。2016年，"
                    "新馆在河西区落成，库房面积2.4万平方米。</p>",
                ),
                (
                    "paragraph",
                    "<p>本馆同时指导市内六个区档案馆的业务工作，"
                    "各区馆的开放档案也在本平台统一发布。</p>",
                ),
            ],
        },
        {
            "title": "About us",
            "slug": "about",
            "introduction": "History, duties and contact details of the Binjiang "
            "Municipal Archives.",
            "body": [
                (
                    "paragraph",
                    "<p>Founded in 1959, the Binjiang Municipal Archives is a public "
                    "institution of the city government that collects and preserves the "
                    "city's records of lasting value and makes them available to the "
                    "public. In 2016 it moved to a new building in Hexi District with "
                    "24,000 square metres of storage.</p>",
                ),
                (
                    "paragraph",
                    "<p>We also guide the work of the six district archives, whose open "
                    "records are published on this portal too.</p>",
                ),
            ],
        },
    ),
    (
        "privacy",
        None,
        {
            "title": "隐私与使用条款",
            "introduction": "本网站如何处理访问者的信息，以及网上档案的使用条件。",
            "body": [
                (
                    "paragraph",
                    "<p>本网站不使用第三方统计或广告服务，只记录维持网站运行所需的"
                    "访问日志，保存期限为六个月。网上公布的档案仅供学习研究使用；"
                    "出版或商业使用须事先征得本馆书面同意，并注明档号与出处。</p>",
                )
            ],
        },
        {
            "title": "Privacy and terms of use",
            "slug": "privacy",
            "introduction": "How this website treats visitors' information, and the "
            "conditions for using the records published here.",
            "body": [
                (
                    "paragraph",
                    "<p>This website uses no third-party analytics or advertising and "
                    "keeps only the access logs it needs to run, for six months. Records "
                    "published online are for study and research; publication or "
                    "commercial use needs our prior written consent and must cite the "
                    "reference code and source.</p>",
                )
            ],
        },
    ),
]

MENUS = {
    "main": [
        "@home",
        "@exhibitions",
        "@collections",
        "@chronicle",
        "@catalogue",
        "holdings",
        "services",
        "about",
    ],
    "footer": ["about", "services", "reading-room-rules", "privacy"],
}
