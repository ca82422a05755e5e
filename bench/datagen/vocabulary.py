"""Words of a Chinese city archive's catalogue, built in code from small pools.

Nothing is downloaded: place names, organisations, people, topics and the OCR
text of pages are composed from the pools below, so the vocabulary is large
(thousands of organisations, tens of thousands of topics and names) but every
word the query set looks for is one the generator knows how to produce.

Pools are lists of (Chinese, English) pairs where an English gloss exists, so
the English titles of a share of the records are made of the same parts.
"""

# The fictional city and its archives (档案馆代码 in the 99xxxx range, which no
# real archive uses), with the districts whose bodies create records.
CITY = ("临江市", "Linjiang")
REPOSITORIES = [
    ("990101", "临江市档案馆", "Linjiang Municipal Archives"),
    ("990102", "临江市东城区档案馆", "Dongcheng District Archives of Linjiang"),
    ("990103", "临江市江北区档案馆", "Jiangbei District Archives of Linjiang"),
]
# Share of the rows each repository holds: the city archive holds most.
REPOSITORY_SHARES = [0.7, 0.15, 0.15]
DISTRICTS = {"990102": ("东城区", "Dongcheng"), "990103": ("江北区", "Jiangbei")}

# Syllables of invented place names (two of them make a name: 安平, 青石…).
PLACE_FIRST = (
    "安宝长朝东丰凤福富高广和河黑红洪华黄吉嘉江金锦兰乐临龙罗梅明"
    "南宁平青清庆瑞三沙山上石顺松太泰桃天通万西仙新兴阳永玉云长漳"
    "镇中竹"
)
PLACE_SECOND = (
    "安坝北滨城池川店定渡丰港沟谷关河湖化口岭林陵龙门南宁坪桥泉山"
    "水塘亭田湾溪霞阳洋源园寨州庄"
)
PLACE_KINDS = ["乡", "镇", "街道", "村", "公社", "大队", "路", "码头"]

# Bodies that create records (全宗 are named after them): (zh, en).
BODIES = [
    ("人民政府", "People's Government"),
    ("人民委员会", "People's Council"),
    ("革命委员会", "Revolutionary Committee"),
    ("计划委员会", "Planning Commission"),
    ("经济委员会", "Economic Commission"),
    ("教育局", "Education Bureau"),
    ("卫生局", "Health Bureau"),
    ("建设局", "Construction Bureau"),
    ("财政局", "Finance Bureau"),
    ("税务局", "Tax Bureau"),
    ("公安局", "Public Security Bureau"),
    ("民政局", "Civil Affairs Bureau"),
    ("粮食局", "Grain Bureau"),
    ("商业局", "Commerce Bureau"),
    ("交通局", "Transport Bureau"),
    ("港务局", "Harbour Bureau"),
    ("水利局", "Water Conservancy Bureau"),
    ("农业局", "Agriculture Bureau"),
    ("林业局", "Forestry Bureau"),
    ("文化局", "Culture Bureau"),
    ("劳动局", "Labour Bureau"),
    ("工商行政管理局", "Administration for Industry and Commerce"),
    ("城市规划局", "Urban Planning Bureau"),
    ("房地产管理局", "Housing Administration"),
    ("档案局", "Archives Bureau"),
    ("统计局", "Statistics Bureau"),
    ("物价局", "Prices Bureau"),
    ("邮电局", "Post and Telecommunications Bureau"),
    ("铁路分局", "Railway Sub-bureau"),
    ("体育运动委员会", "Sports Commission"),
    ("总工会", "Federation of Trade Unions"),
    ("妇女联合会", "Women's Federation"),
    ("工商业联合会", "Federation of Industry and Commerce"),
    ("海关", "Customs House"),
    ("商会", "Chamber of Commerce"),
    ("纺织厂", "Textile Mill"),
    ("第一棉纺织厂", "No. 1 Cotton Mill"),
    ("机械厂", "Machinery Works"),
    ("造船厂", "Shipyard"),
    ("钢铁厂", "Iron and Steel Works"),
    ("面粉厂", "Flour Mill"),
    ("火柴厂", "Match Factory"),
    ("印刷厂", "Printing Works"),
    ("自来水公司", "Waterworks Company"),
    ("电力公司", "Electric Power Company"),
    ("公共汽车公司", "Bus Company"),
    ("百货公司", "Department Store"),
    ("供销合作社", "Supply and Marketing Cooperative"),
    ("轮船公司", "Steamship Company"),
    ("银行", "Bank"),
    ("第一中学", "No. 1 Middle School"),
    ("第二中学", "No. 2 Middle School"),
    ("师范学校", "Normal School"),
    ("中心小学", "Central Primary School"),
    ("人民医院", "People's Hospital"),
    ("中医院", "Hospital of Chinese Medicine"),
    ("图书馆", "Library"),
    ("博物馆", "Museum"),
    ("广播电台", "Radio Station"),
    ("日报社", "Daily"),
    ("防汛抗旱指挥部", "Flood Control and Drought Relief Headquarters"),
    ("爱国卫生运动委员会", "Patriotic Health Campaign Committee"),
    ("扫除文盲协会", "Literacy Association"),
]

# What records are about: an action on an object, (zh, en) each.
ACTIONS = [
    ("整顿", "reorganising"),
    ("扩建", "extending"),
    ("筹办", "preparing"),
    ("调整", "adjusting"),
    ("改造", "rebuilding"),
    ("修建", "building"),
    ("检查", "inspecting"),
    ("加强", "strengthening"),
    ("开展", "carrying out"),
    ("推行", "introducing"),
    ("清理", "clearing up"),
    ("统计", "counting"),
    ("核定", "approving"),
    ("拨付", "paying out"),
    ("表彰", "commending"),
    ("处理", "settling"),
    ("恢复", "restoring"),
    ("保护", "protecting"),
    ("管理", "managing"),
    ("验收", "accepting"),
    ("征收", "levying"),
    ("减免", "remitting"),
    ("成立", "founding"),
    ("撤销", "dissolving"),
    ("合并", "merging"),
]
OBJECTS = [
    ("市区交通秩序", "traffic in the city"),
    ("码头", "the docks"),
    ("码头扩建工程", "the dock extension works"),
    ("国货展览会", "the national products exhibition"),
    ("年度生产计划", "the annual production plan"),
    ("职工劳动保险", "workers' labour insurance"),
    ("防汛抗旱工作", "flood control and drought relief"),
    ("城市绿化", "urban greening"),
    ("中小学招生", "school admissions"),
    ("爱国卫生运动", "the patriotic health campaign"),
    ("粮食统购统销", "state grain purchase and supply"),
    ("私营工商业", "private industry and commerce"),
    ("人民公园", "the People's Park"),
    ("扫除文盲", "the literacy campaign"),
    ("公共汽车线路", "bus routes"),
    ("自来水厂", "the waterworks"),
    ("基本建设", "capital construction"),
    ("基本建设投资", "capital construction investment"),
    ("档案管理", "records management"),
    ("档案移交", "the transfer of records"),
    ("铁路货运", "rail freight"),
    ("铁路专用线", "the railway siding"),
    ("港口航道", "the harbour channel"),
    ("水利设施", "water conservancy works"),
    ("农田水利", "farmland irrigation"),
    ("教育经费", "education funds"),
    ("教师工资", "teachers' pay"),
    ("职工工资", "workers' pay"),
    ("工资调整", "pay adjustments"),
    ("税收", "taxation"),
    ("工商税收", "industrial and commercial taxes"),
    ("卫生防疫", "epidemic prevention"),
    ("传染病防治", "infectious disease control"),
    ("市场物价", "market prices"),
    ("副食品供应", "non-staple food supply"),
    ("粮食供应", "grain supply"),
    ("城市规划", "urban planning"),
    ("旧城改造", "old town renewal"),
    ("住房分配", "housing allocation"),
    ("公共交通", "public transport"),
    ("轮渡航线", "ferry routes"),
    ("电力供应", "electricity supply"),
    ("邮政网点", "post offices"),
    ("广播网", "the broadcasting network"),
    ("图书借阅", "library lending"),
    ("文物保护", "the protection of cultural relics"),
    ("体育运动会", "the sports meeting"),
    ("民兵训练", "militia training"),
    ("优抚安置", "care for veterans"),
    ("社会救济", "social relief"),
    ("灾民救济", "disaster relief"),
    ("户口登记", "household registration"),
    ("人口普查", "the population census"),
    ("计划生育", "family planning"),
    ("技术革新", "technical innovation"),
    ("安全生产", "work safety"),
    ("产品质量", "product quality"),
    ("外贸出口", "export trade"),
    ("进出口货物", "imports and exports"),
    ("棉纱配售", "cotton yarn rationing"),
    ("厂房建设", "factory buildings"),
    ("机构设置", "the organisation's structure"),
    ("干部任免", "appointments and dismissals"),
    ("职工培训", "staff training"),
    ("劳动模范", "model workers"),
    ("先进集体", "model units"),
    ("财务收支", "income and expenditure"),
    ("会计制度", "accounting rules"),
    ("银行信贷", "bank credit"),
    ("储蓄存款", "savings deposits"),
    ("合作社", "the cooperatives"),
    ("农业合作化", "agricultural collectivisation"),
    ("植树造林", "afforestation"),
    ("环境保护", "environmental protection"),
    ("河道疏浚", "river dredging"),
    ("堤防加固", "strengthening the dykes"),
]
DOCUMENTS = [
    ("通知", "Notice"),
    ("报告", "Report"),
    ("请示", "Request for instructions"),
    ("批复", "Reply"),
    ("函", "Letter"),
    ("决定", "Decision"),
    ("会议记录", "Minutes"),
    ("统计表", "Statistical table"),
    ("呈文", "Petition"),
    ("训令", "Order"),
    ("指令", "Instruction"),
    ("布告", "Proclamation"),
    ("公函", "Official letter"),
    ("签呈", "Memorandum"),
    ("意见", "Opinion"),
    ("总结", "Summary"),
    ("计划", "Plan"),
    ("规定", "Regulations"),
    ("办法", "Measures"),
    ("简报", "Bulletin"),
    ("纪要", "Summary of a meeting"),
    ("合同", "Contract"),
    ("名册", "Register"),
    ("电报", "Telegram"),
]
SERIES = [
    ("文书类", "Correspondence"),
    ("总务类", "General affairs"),
    ("人事类", "Personnel"),
    ("计划统计类", "Planning and statistics"),
    ("财务类", "Finance"),
    ("业务类", "Operations"),
    ("基建类", "Capital construction"),
    ("会议类", "Meetings"),
    ("党群工作类", "Party and mass organisations"),
    ("科技类", "Science and technology"),
    ("声像类", "Audiovisual"),
    ("照片类", "Photographs"),
]
SUBJECTS = [
    "交通",
    "码头",
    "基本建设",
    "对外贸易",
    "教育",
    "卫生",
    "工业",
    "人事",
    "财政",
    "税收",
    "粮食",
    "商业",
    "农业",
    "水利",
    "文化",
    "体育",
    "民政",
    "劳动",
    "工资",
    "物价",
    "城市建设",
    "公共事业",
    "金融",
    "邮电",
    "铁路",
    "航运",
    "环境",
    "人口",
    "科技",
    "档案工作",
]
RETENTION = ["永久", "永久", "长期", "30年", "短期", "10年"]
LANGUAGES = ["汉语", "汉语", "汉语", "汉语、英语"]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    "彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "振华明国栋淑贞建桂兰志强秀英德福玉春永红军伟芳敏静丽洪涛海波"
    "平刚勇毅宏斌晓光文霞云峰立新家庆宝山金水成俊杰荣富贵长生学忠"
    "良树林凤鸣秋菊冬梅晨阳育才守仁继承"
)

# Sentences of OCR text: {} slots are filled from the pools above.
SENTENCES = [
    "{body}于{year}年{month}月{day}日召开会议，讨论{topic}问题。",
    "根据{body}{doc}精神，现将{topic}有关事项通知如下：",
    "一、各单位应切实{action}{object}，不得延误。",
    "二、所需经费由{body}统一拨付，专款专用。",
    "三、请于{month}月{day}日前将执行情况报{body}。",
    "经研究，同意{action}{object}，请按规定办理。",
    "本件档案系{body}{year}年形成，共{pages}页。",
    "{person}同志汇报了{topic}的进展情况。",
    "会议认为，{topic}关系群众切身利益，必须抓紧抓好。",
    "据统计，全市共有{number}个单位参加{topic}。",
    "以上报告当否，请批示。",
    "此致敬礼。",
    "特此通知。",
    "附：{topic}统计表一份。",
    "{place}一带{object}情况良好，群众反映满意。",
    "经检查，{object}工程质量验收合格。",
    "{body}负责人{person}、{person}出席会议。",
    "对于{object}中存在的问题，应当认真研究解决。",
    "兹将{year}年度{topic}工作总结报告如下。",
    "由于{object}任务繁重，拟增加人员{number}名。",
    "抄送：{body}、{body}。",
    "{year}年{month}月{day}日",
]
