"""Demo support desk: FAQ entries and carol's conversation about her parcel."""

from chat.models import FaqEntry, SupportConversation
from chat.services.support import support_conversation_open
from community.models import User

FAQ = [
    (
        "Where is my parcel?",
        "Orders ship within 48 hours of payment; the tracking number appears on the order page "
        "as soon as the courier picks it up.",
        "parcel, shipping, delivery, tracking, 快递, 物流",
    ),
    (
        "How do refunds work?",
        "Open the order and tap “Ask for a refund”. Refunds of unshipped orders are immediate; "
        "points and coupons come back too.",
        "refund, return, money back, 退款",
    ),
    (
        "How does a group buy (拼团) work?",
        "Open or join a team at the group price; when the team fills in time everyone's order "
        "ships. If it does not, everyone is refunded automatically.",
        "group buy, team, 拼团",
    ),
]


def seed_faq() -> int:
    for sort, (question, answer, keywords) in enumerate(FAQ):
        FaqEntry.objects.get_or_create(
            question=question, defaults={"answer": answer, "keywords": keywords, "sort": sort}
        )
    return FaqEntry.objects.count()


def seed_support_conversation(users: dict[str, User]) -> None:
    if not SupportConversation.objects.filter(member=users["carol"]).exists():
        support_conversation_open(
            actor=users["carol"], body="Where is my parcel? It has been 3 days."
        )
