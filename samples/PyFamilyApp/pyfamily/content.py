"""The catalog and the youth pool: what a child may open, feeds, search, the hot list, placements, richness."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from . import security
from .web import ApiError

MEDIA = {"VIDEO", "AUDIO", "ARTICLE"}
FORBIDDEN_TOPICS = {"FAN_FUNDRAISING", "VOTE_RANKING", "TRAFFIC_MANIPULATION"}
TAGS = FORBIDDEN_TOPICS | {"AD", "OUTBOUND_LINK", "REVIEWED"}
SLOTS = {"HOME_FIRST_SCREEN", "POPUP", "HOT_LIST"}
# How the shared sample catalog names its flags, in this app's words.
SAMPLE_FLAGS = {"advertisement": "AD", "external-link": "OUTBOUND_LINK", "allow-listed": "REVIEWED",
                "fan-fundraising": "FAN_FUNDRAISING", "vote-ranking": "VOTE_RANKING",
                "traffic-manipulation": "TRAFFIC_MANIPULATION"}

# Fixed items the profile names as fixtures (API.md, "Seeded at start-up").
SEEDED = [
    ("fam-0001", "儿歌：小星星 / Nursery song: Twinkle", "music", "AUDIO", ["0_TO_2", "3_TO_7"], False, []),
    ("fam-0002", "家庭科学小实验 / Science at home", "science", "VIDEO", ["8_TO_11", "12_TO_15"], False, []),
    ("fam-0003", "代数入门 / First steps in algebra", "education", "ARTICLE", ["12_TO_15", "16_TO_17"], False, []),
    ("fam-0004", "极限运动挑战 / Extreme stunt challenge", "sports", "VIDEO", ["16_TO_17"], True, []),
    ("fam-0005", "为偶像应援集资 / Raise funds for your idol", "entertainment", "VIDEO", ["12_TO_15"], False, ["FAN_FUNDRAISING"]),
    ("fam-0006", "新款球鞋广告 / Sneaker advert", "life-skills", "VIDEO", ["8_TO_11"], False, ["AD"]),
    ("fam-0007", "公益广告：爱护眼睛 / Public-service ad: care for your eyes", "life-skills", "VIDEO", ["8_TO_11"], False, ["AD", "REVIEWED"]),
    ("fam-0008", "成人脱口秀 / Late-night comedy", "entertainment", "VIDEO", [], False, []),
]


@dataclass
class Video:
    vid: str
    title: str
    topic: str
    media: str
    groups: list[str]
    sensitive: bool = False
    tags: set[str] = field(default_factory=set)
    plays: int = 0

    def view(self, notice: str | None = None) -> dict:
        return {"vid": self.vid, "title": self.title, "topic": self.topic, "media": self.media,
                "ageGroups": self.groups, "sensitive": self.sensitive, "tags": sorted(self.tags),
                "plays": self.plays, "notice": notice}


def pool_problem(v: Video, group: str) -> str | None:
    """Why `v` is not in the youth pool of `group`, or None. Topic and review rules come before the label."""
    if not v.groups:
        return "NOT_IN_YOUTH_POOL"
    if v.tags & FORBIDDEN_TOPICS:
        return "FORBIDDEN_TOPIC"
    if v.sensitive:
        return "NOT_IN_YOUTH_POOL"
    if "REVIEWED" not in v.tags:
        if "AD" in v.tags:
            return "AD_NOT_REVIEWED"
        if "OUTBOUND_LINK" in v.tags:
            return "LINK_NOT_REVIEWED"
    if group not in v.groups:
        return "NOT_FOR_AGE_GROUP"
    return None


class Content:
    def __init__(self, app, catalog_path: str | None):
        self.app = app
        self.videos: dict[str, Video] = {}  # insertion order is the editorial order
        if catalog_path:
            self._load_sample(catalog_path)
        for vid, title, topic, media, groups, sensitive, tags in SEEDED:
            self.videos[vid] = Video(vid, title, topic, media, groups, sensitive, set(tags))

    def _load_sample(self, path: str) -> None:
        groups = {f"{b.from_age}-{b.to_age}": b.group for b in self.app.pack.bands}
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for item in doc.get("items", []):
            self.videos[str(item["id"])] = Video(
                vid=str(item["id"]), title=str(item.get("title", "")), topic=str(item.get("category", "other")),
                media=str(item.get("format", "video")).upper() if str(item.get("format", "")).upper() in MEDIA else "VIDEO",
                groups=[groups[b] for b in item.get("bands", []) if b in groups],
                sensitive=item.get("mayAffectMinors") is True,
                tags={SAMPLE_FLAGS[x] for x in item.get("flags", []) if x in SAMPLE_FLAGS},
                plays=int(item.get("popularity", 0) or 0))

    def register(self, r) -> None:
        r.add("GET", "/v1/feed", lambda req: self.listing(req, search=False))
        r.add("GET", "/v1/search", lambda req: self.listing(req, search=True))
        r.add("GET", "/v1/hot", self.hot)
        r.add("GET", "/v1/videos/{vid}", self.open)
        r.add("GET", "/v1/videos/{vid}/placements/{slot}", self.placement)
        r.add("POST", "/v1/staff/videos", self.create, guard="staff")
        r.add("GET", "/v1/staff/catalog/richness", self.richness, guard="staff")

    # ---- for a viewer ----

    def youth_group(self, acc) -> str | None:
        """The age group whose pool the account sees, or None outside youth mode."""
        return self.app.accounts.group(acc) if acc.youth_on else None

    @staticmethod
    def notice_for(v: Video, group: str | None) -> str | None:
        return "MAY_AFFECT_MINORS" if group is None and v.sensitive else None

    def _page(self, req, items: list[Video], group):
        try:
            limit = int(req.q("limit", "20"))
            offset = int(req.q("cursor", "0") or "0")
        except ValueError:
            limit, offset = -1, -1
        if not 1 <= limit <= 50 or offset < 0:
            raise ApiError(400, "VALIDATION_FAILED", "invalid fields", {"limit": "1..50", "cursor": "as given by nextCursor"})
        page = items[offset:offset + limit]
        more = offset + limit < len(items)
        return 200, {"items": [v.view(self.notice_for(v, group)) for v in page],
                     "nextCursor": str(offset + limit) if more else None}

    def listing(self, req, search: bool):
        acc = self.app.accounts.authenticate(req)
        group = self.youth_group(acc)
        q = (req.q("q") or "").strip().lower() if search else ""
        topic = req.q("topic") or ""
        items = [v for v in self.videos.values() if (not topic or v.topic == topic) and (not q or q in v.title.lower())]
        if group is not None:
            items = [v for v in items if pool_problem(v, group) is None]
            if group in self.app.pack.audio_first_groups:
                items = [v for v in items if v.media == "AUDIO"] + [v for v in items if v.media != "AUDIO"]
        elif not search:
            # The home feed is a prominent place: sensitive items are reached by search or link only.
            items = [v for v in items if not v.sensitive]
        return self._page(req, items, group)

    def hot(self, req):
        acc = self.app.accounts.authenticate(req)
        group = self.youth_group(acc)
        keep_sensitive = "hot-list-sensitive" in self.app.defects
        items = [v for v in self.videos.values()
                 if (keep_sensitive or not v.sensitive) and (group is None or pool_problem(v, group) is None)]
        items.sort(key=lambda v: (-v.plays, v.vid))
        return self._page(req, items, group)

    def open(self, req):
        acc = self.app.accounts.authenticate(req)
        v = self.videos.get(req.params["vid"])
        if v is None:
            raise ApiError(404, "VIDEO_NOT_FOUND", "no such video")
        group = self.youth_group(acc)
        # The pool-direct-id defect: the feed filters, but opening by id forgot to.
        if group is not None and "pool-direct-id" not in self.app.defects:
            problem = pool_problem(v, group)
            if problem:
                raise ApiError(403, problem, "not in the youth pool of " + group)
        notice = self.notice_for(v, group)
        return 200, {"video": v.view(notice), "notice": notice}

    def placement(self, req):
        acc = self.app.accounts.authenticate(req)
        slot = req.params["slot"]
        if slot not in SLOTS:
            raise ApiError(400, "VALIDATION_FAILED", "invalid fields", {"slot": ", ".join(sorted(SLOTS))})
        v = self.videos.get(req.params["vid"])
        group = self.youth_group(acc)
        if v is None:
            because = "VIDEO_NOT_FOUND"
        elif v.sensitive:
            because = "MAY_AFFECT_MINORS"  # never prominent, in either mode
        else:
            because = pool_problem(v, group) if group is not None else None
        return 200, {"eligible": because is None, "because": because, "slot": slot}

    # ---- staff ----

    def create(self, req):
        f = req.fields()
        vid = f.text("vid", 1, 128, r"[A-Za-z0-9_.-]+", required=False)
        title = f.text("title", 1, 200)
        topic = f.text("topic", 1, 32, r"[a-z0-9]+(-[a-z0-9]+)*")
        media = f.one_of("media", MEDIA, required=False) or "VIDEO"
        groups = f.body.get("ageGroups", [])
        if not isinstance(groups, list) or not all(g in self.app.pack.groups for g in groups):
            f.fail("ageGroups", "a list of " + ", ".join(self.app.pack.groups))
        tags = f.body.get("tags", [])
        if not isinstance(tags, list) or not all(t in TAGS for t in tags):
            f.fail("tags", "a list of " + ", ".join(sorted(TAGS)))
        sensitive = f.body.get("sensitive", False)
        if not isinstance(sensitive, bool):
            f.fail("sensitive", "true or false")
        plays = f.integer("plays", 0, 2**63 - 1, required=False) or 0
        f.done()
        vid = vid or security.new_id("V")
        if vid in self.videos:
            raise ApiError(409, "VIDEO_EXISTS", "a video with this vid exists")
        v = Video(vid, title, topic, media, list(dict.fromkeys(groups)), sensitive, set(tags), plays)
        self.videos[vid] = v
        return 201, {"video": v.view()}

    def richness(self, req):
        limits = self.app.pack.richness
        groups = []
        for g in self.app.pack.groups:
            by_topic: dict[str, int] = {}
            for v in self.videos.values():
                if pool_problem(v, g) is None:  # servable in youth mode, and no notice needed there
                    by_topic[v.topic] = by_topic.get(v.topic, 0) + 1
            servable = sum(by_topic.values())
            row = {"group": g, "servable": servable, "byTopic": by_topic, "topicsCovered": 0, "thin": False, "why": []}
            if limits:
                row["topicsCovered"] = sum(1 for n in by_topic.values() if n >= limits["minItemsPerCategory"])
                if servable < limits["minItemsPerBand"]:
                    row["why"].append(f"{servable} servable items, fewer than {limits['minItemsPerBand']}")
                if row["topicsCovered"] < limits["minCategoriesPerBand"]:
                    row["why"].append(f"{row['topicsCovered']} topics with at least {limits['minItemsPerCategory']} items, "
                                      f"fewer than {limits['minCategoriesPerBand']}")
                row["thin"] = bool(row["why"])
            groups.append(row)
        return 200, {"assessed": limits is not None, "thresholds": limits, "groups": groups,
                     "thinGroups": [r["group"] for r in groups if r["thin"]], "catalogSize": len(self.videos)}

