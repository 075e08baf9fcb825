#!/usr/bin/env python3
"""Writes sample-pool.json: a deterministic sample catalog for the sample app and the demo.

Run from the repository root:  python3 seeds/content/generate_sample_pool.py
The titles are invented for the sample; the JSON is committed, this script only documents how it was made.
"""
import json
import random
from pathlib import Path

rng = random.Random(20261125)

# (band, category) -> (format, [title stems], [title patterns]); "{}" is replaced by a stem.
POOL = {
    ("0-3", "music"): ("audio", ["小星星", "拍拍手", "小兔子乖乖", "两只老虎", "找朋友", "数鸭子", "小燕子", "摇啊摇", "洗手歌", "刷牙歌"], ["宝宝儿歌：{}", "亲子律动：{}"]),
    ("0-3", "education"): ("audio", ["认颜色", "认形状", "认水果", "认动物", "认交通工具", "学说话", "听声音", "数一数"], ["早教启蒙：{}", "亲子共读：{}"]),
    ("0-3", "culture"): ("audio", ["小熊睡觉了", "月亮晚安", "小鸭找妈妈", "好饿的毛毛虫", "彩虹鱼", "三只小猪"], ["睡前故事：{}", "有声绘本：{}"]),
    ("0-3", "life-skills"): ("video", ["自己吃饭", "穿袜子", "收玩具", "上厕所", "说谢谢"], ["好习惯动画：{}", "生活儿歌：{}"]),
    ("3-8", "education"): ("video", ["拼音 a o e", "认识时钟", "十以内加法", "左右分清楚", "认识人民币", "汉字的演变", "看图说话", "认识方向"], ["学前课堂：{}", "趣味启蒙：{}"]),
    ("3-8", "culture"): ("video", ["守株待兔", "孔融让梨", "司马光砸缸", "曹冲称象", "精卫填海", "女娲补天", "后羿射日"], ["成语故事：{}", "神话传说：{}"]),
    ("3-8", "science"): ("video", ["种子发芽了", "影子从哪里来", "蚂蚁搬家", "彩虹的秘密", "磁铁游戏", "四季的变化"], ["小小科学家：{}", "自然探索：{}"]),
    ("3-8", "music"): ("audio", ["春天在哪里", "让我们荡起双桨", "种太阳", "小毛驴", "拔萝卜", "卖报歌"], ["童声合唱：{}", "经典儿歌：{}"]),
    ("3-8", "life-skills"): ("video", ["过马路看红绿灯", "不跟陌生人走", "认识火警电话", "整理小书桌", "正确洗手七步"], ["安全小课堂：{}", "自我保护：{}"]),
    ("3-8", "sports"): ("video", ["跳绳入门", "拍皮球", "亲子瑜伽", "平衡小能手"], ["快乐运动：{}", "户外游戏：{}"]),
    ("8-12", "science"): ("video", ["太阳系八大行星", "火山为什么会喷发", "电是怎么来的", "蜜蜂的舞蹈", "显微镜下的世界", "水的三态变化", "桥梁为什么不会塌", "指南针的原理"], ["科普实验室：{}", "十万个为什么：{}"]),
    ("8-12", "culture"): ("video", ["长城的故事", "二十四节气", "京剧脸谱", "兵马俑", "敦煌壁画", "四大发明", "故宫的屋顶"], ["中华文化：{}", "文化探秘：{}"]),
    ("8-12", "education"): ("article", ["分数的意义", "作文开头技巧", "古诗背诵：静夜思", "英语自然拼读", "乘法口诀的秘密", "阅读理解方法"], ["小学课堂：{}", "学习方法：{}"]),
    ("8-12", "life-skills"): ("video", ["学做番茄炒蛋", "整理书包", "烫伤处理", "防溺水常识", "垃圾分类", "零花钱怎么管"], ["生活技能：{}", "动手做：{}"]),
    ("8-12", "news"): ("article", ["航天员出舱", "大熊猫新家", "全国植树节", "奥运冠军进校园", "新的高铁线开通"], ["少儿新闻：{}", "新闻小课堂：{}"]),
    ("8-12", "entertainment"): ("video", ["动画：小小宇航员", "动画：森林运动会", "魔术揭秘：消失的硬币", "手工：纸飞机大赛", "绘画：画一只猫"], ["{}", "周末放映：{}"]),
    ("8-12", "sports"): ("video", ["足球颠球", "篮球运球", "乒乓球发球", "游泳换气"], ["体育课：{}", "运动技巧：{}"]),
    ("12-16", "education"): ("video", ["一元一次方程", "浮力", "丝绸之路", "季风气候", "光合作用", "文言文虚词", "英语时态", "电路图", "化学方程式配平", "二次函数"], ["初中课堂：{}", "知识点精讲：{}"]),
    ("12-16", "science"): ("video", ["黑洞是什么", "基因与遗传", "人工智能入门", "芯片是怎样造出来的", "气候变化", "量子力学小故事"], ["科学前沿：{}", "科学探究：{}"]),
    ("12-16", "news"): ("article", ["少年新闻周报", "科技前沿速览", "青少年足球联赛", "国际空间站", "全国中学生运动会"], ["新闻：{}", "新闻背后：{}"]),
    ("12-16", "culture"): ("article", ["论语选读", "唐诗里的山水", "宋词鉴赏", "红楼梦人物谈", "西游记中的智慧"], ["经典导读：{}", "名著精读：{}"]),
    ("12-16", "sports"): ("video", ["中考体育跳远", "八百米跑配速", "排球垫球", "羽毛球步法"], ["运动训练：{}", "体育技能：{}"]),
    ("12-16", "life-skills"): ("video", ["时间管理", "网络安全与防骗", "青春期心理", "理性消费"], ["成长课：{}", "心理课：{}"]),
    ("16-18", "culture"): ("article", ["鲁迅作品导读", "工程师的一天", "计算机专业介绍", "医学专业介绍", "法律常识", "博物馆里的中国"], ["人文讲堂：{}", "生涯规划：{}"]),
    ("16-18", "news"): ("article", ["两会热词解读", "科技新闻周评", "经济数据怎么看", "国际新闻述评", "航天工程进展"], ["时事：{}", "深度解读：{}"]),
    ("16-18", "education"): ("video", ["导数的应用", "高考作文审题", "有机化学基础", "电磁感应", "英语长难句", "世界史脉络"], ["高中课堂：{}", "备考专题：{}"]),
    ("16-18", "science"): ("video", ["相对论入门", "机器学习原理", "新能源电池", "深海探测", "脑科学"], ["科学讲座：{}", "前沿讲堂：{}"]),
    ("16-18", "sports"): ("video", ["力量训练入门", "运动损伤预防", "马拉松训练"], ["健身课：{}", "体能课：{}"]),
    ("16-18", "music"): ("audio", ["交响乐入门", "民乐欣赏：二胡", "钢琴名曲", "合唱指挥"], ["音乐欣赏：{}", "名家赏析：{}"]),
}

# Items outside the teen-mode pool, for normal mode and for the tests of the flags.
SPECIAL = [
    ("深夜综艺精选", "entertainment", [], {}),
    ("明星八卦速递", "entertainment", [], {}),
    ("直播带货合集", "entertainment", [], {"flags": ["advertisement"]}),
    ("极限跑酷挑战（危险动作）", "entertainment", ["16-18"], {"mayAffectMinors": True}),
    ("恐怖短片合集", "entertainment", [], {"mayAffectMinors": True}),
    ("高空特技模仿挑战", "entertainment", [], {"mayAffectMinors": True}),
    ("爱豆生日应援集资", "entertainment", ["12-16", "16-18"], {"flags": ["fan-fundraising"]}),
    ("偶像投票打榜攻略", "entertainment", ["12-16", "16-18"], {"flags": ["vote-ranking"]}),
    ("超话控评教程", "entertainment", ["16-18"], {"flags": ["traffic-manipulation"]}),
    ("新款游戏机限时促销", "entertainment", ["12-16", "16-18"], {"flags": ["advertisement"]}),
    ("国家中小学智慧教育平台", "education", ["8-12", "12-16", "16-18"], {"flags": ["external-link", "allow-listed"], "format": "article"}),
    ("第三方小游戏合集", "entertainment", ["8-12"], {"flags": ["external-link"]}),
    ("公益广告：节约用水", "life-skills", ["8-12", "12-16"], {"flags": ["advertisement", "allow-listed"]}),
]

# Neighbouring bands that an item may also suit.
SPREAD = {"3-8": ["8-12"], "8-12": ["12-16"], "12-16": ["16-18"], "16-18": [], "0-3": ["3-8"]}


def main() -> None:
    items = []
    n = 0
    for (band, category), (fmt, stems, patterns) in POOL.items():
        for pattern in patterns:
            for stem in stems:
                n += 1
                bands = [band]
                # Every fourth item also suits the next band up (e.g. a story for 3-8 and 8-12).
                if n % 4 == 0:
                    bands += SPREAD[band]
                item = {
                    "id": f"v{n:04d}",
                    "title": pattern.format(stem),
                    "category": category,
                    "bands": bands,
                    "format": fmt,
                    "popularity": rng.randrange(100, 100000),
                }
                items.append(item)
    for title, category, bands, extra in SPECIAL:
        n += 1
        item = {"id": f"v{n:04d}", "title": title, "category": category, "bands": bands, "format": "video", "popularity": rng.randrange(50000, 200000)}
        item.update(extra)
        items.append(item)
    doc = {"$schema": "../schemas/content.schema.json", "version": "2026.11.2", "items": items}
    out = Path(__file__).with_name("sample-pool.json")
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(items)} items written to {out}")


if __name__ == "__main__":
    main()
