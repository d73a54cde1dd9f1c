"""Chinese words for moderation's codes (actions, content types, categories), for the pages and
(through ``moderation_labels``) for the scripts that render API rows."""

from django import template

register = template.Library()

ACTIONS = {
    "approve": "通过",
    "remove": "删除",
    "warn": "警告",
    "mute": "禁言",
    "suspend": "封禁",
    "ban": "永久封禁",
}
TARGET_TYPES = {
    "post": "笔记",
    "comment": "评论",
    "message": "聊天消息",
    "live_comment": "直播评论",
    "review": "评价",
    "storefront": "店铺",
    "product": "商品",
    "share_link": "分享链接",
    "user": "用户",
    "appeal": "申诉",
    "share_fraud": "推广作弊",
}
CATEGORIES = {
    "spam": "垃圾广告",
    "scam": "诈骗",
    "abuse": "辱骂骚扰",
    "sexual": "色情低俗",
    "illegal": "违法违规",
    "ip": "侵权",
    "other": "其他",
}
STATUSES = {"pending": "待处理", "claimed": "处理中", "resolved": "已处理"}
SOURCES = {
    "reports": "用户举报",
    "watched_word": "敏感词",
    "pre_moderation": "先审后发",
    "appeal": "申诉",
    "share_fraud": "推广作弊",
}
WORD_ACTIONS = {
    "block": "拦截（禁止发布）",
    "censor": "打码",
    "require_approval": "先审后发",
    "flag": "发布并送审",
}
APPEAL_STATUSES = {"pending": "申诉审核中", "granted": "申诉已通过", "denied": "申诉未通过"}


def moderation_labels() -> dict[str, dict[str, str]]:
    """Every table above, for ``json_script`` on the pages whose scripts render API rows."""
    return {
        "actions": ACTIONS,
        "types": TARGET_TYPES,
        "categories": CATEGORIES,
        "statuses": STATUSES,
        "sources": SOURCES,
        "word_actions": WORD_ACTIONS,
        "appeal_statuses": APPEAL_STATUSES,
    }


@register.filter
def action_label(code: str) -> str:
    return ACTIONS.get(code, code)


@register.filter
def target_type_label(code: str) -> str:
    return TARGET_TYPES.get(code, code)


@register.filter
def category_label(code: str) -> str:
    return CATEGORIES.get(code, code) if code else "—"


@register.filter
def appeal_status_label(code: str) -> str:
    return APPEAL_STATUSES.get(code, code)


@register.filter
def hours_label(hours: int | None) -> str:
    """24 -> "24 小时", 168 -> "7 天"."""
    if not hours:
        return ""
    days, rest = divmod(int(hours), 24)
    if days and not rest:
        return f"{days} 天"
    return f"{hours} 小时"
