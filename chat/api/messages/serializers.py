"""Message API serializers; the realtime events reuse the output ones (chat/events.py)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chat.models import MESSAGE_MAX_LENGTH, REACTION_MAX_LENGTH, Message
from chat.selectors.messages import MESSAGE_PAGE_MAX, cards_render, withheld_from

# --- output ---------------------------------------------------------------------------------


class ChatUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    avatar_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_avatar_url(self, user) -> str | None:
        # Relative, so a pushed envelope and a REST response carry the same value.
        return user.avatar.url if user.avatar else None


class ReplyPreviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seq = serializers.IntegerField()
    sender = ChatUserSerializer(allow_null=True)
    body = serializers.SerializerMethodField()

    def get_body(self, message: Message) -> str:
        if message.is_deleted or withheld_from(message, self.context.get("viewer")):
            return ""
        return message.body[:140]


class ImageSerializer(serializers.Serializer):
    url = serializers.CharField()
    thumbnail_url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class ReactionCountSerializer(serializers.Serializer):
    emoji = serializers.CharField()
    count = serializers.IntegerField()
    mine = serializers.BooleanField()


def render_cards(context: dict, messages) -> None:
    """Render the cards of a page of messages in one batch per kind, into the shared context."""
    rendered = context.setdefault("_cards", {})
    viewer = context.get("viewer")
    keys = {
        (m.card_kind, m.card_ref)
        for m in messages
        if m is not None
        and not m.is_deleted
        and not withheld_from(m, viewer)
        and m.card_kind
        and m.card_ref is not None
    }
    missing = [key for key in keys if key not in rendered]
    if missing:
        rendered.update(cards_render(missing, context.get("viewer")))


class MessageListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        messages = list(data.all() if hasattr(data, "all") else data)
        render_cards(self.context, messages)
        return super().to_representation(messages)


class MessageSerializer(serializers.Serializer):
    """A message; pass ``context={"viewer": user}`` so cards and reactions are the viewer's.

    A message hidden by moderation keeps its content for its sender (``hidden: true``); to
    anyone else (and in pushes, which have no viewer) it reads as deleted."""

    class Meta:
        list_serializer_class = MessageListSerializer

    id = serializers.IntegerField()
    room = serializers.IntegerField(source="room_id")
    seq = serializers.IntegerField()
    kind = serializers.CharField(help_text="text, image, card or bot")
    sender = ChatUserSerializer(allow_null=True, help_text="null for the support bot")
    body = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()
    card = serializers.SerializerMethodField()
    reactions = serializers.SerializerMethodField()
    reply_to = ReplyPreviewSerializer(allow_null=True)
    mentions = serializers.ListField(child=serializers.IntegerField())
    mentions_all = serializers.BooleanField()
    client_msg_id = serializers.CharField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    deleted = serializers.SerializerMethodField()
    hidden = serializers.SerializerMethodField(
        help_text="hidden by moderation: only its sender sees it, until a moderator restores it"
    )

    def _gone(self, message: Message) -> bool:
        """Deleted, or hidden from this viewer: no content to show."""
        return message.is_deleted or withheld_from(message, self.context.get("viewer"))

    def get_body(self, message: Message) -> str:
        return "" if self._gone(message) else message.body

    def get_deleted(self, message: Message) -> bool:
        return self._gone(message)

    def get_hidden(self, message: Message) -> bool:
        return message.is_hidden

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_image(self, message: Message) -> dict | None:
        if self._gone(message) or not message.image:
            return None
        return {
            "url": message.image.url,
            "thumbnail_url": message.thumbnail.url if message.thumbnail else message.image.url,
            "width": message.image_width,
            "height": message.image_height,
        }

    @extend_schema_field(
        serializers.DictField(
            allow_null=True,
            help_text="rendered from the live object: {kind, id, available, title, ...}",
        )
    )
    def get_card(self, message: Message) -> dict | None:
        if self._gone(message) or not message.card_kind or message.card_ref is None:
            return None
        # A page was rendered in batches by its list serializer; a lone message renders its own.
        render_cards(self.context, [message])
        return self.context["_cards"][(message.card_kind, message.card_ref)]

    @extend_schema_field(ReactionCountSerializer(many=True))
    def get_reactions(self, message: Message) -> list[dict]:
        viewer = self.context.get("viewer")
        if message.pk is None or withheld_from(message, viewer):
            return []
        viewer_id = viewer.pk if viewer is not None else None
        counts: dict[str, dict] = {}
        # .all() uses the selectors' prefetch; a fresh message has none and costs one query.
        for reaction in sorted(message.reactions.all(), key=lambda r: r.pk):
            row = counts.setdefault(
                reaction.emoji, {"emoji": reaction.emoji, "count": 0, "mine": False}
            )
            row["count"] += 1
            row["mine"] = row["mine"] or reaction.user_id == viewer_id
        return list(counts.values())


class MessageWindowSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = MessageSerializer(many=True)


# --- input ----------------------------------------------------------------------------------


class CardRefSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=16)
    id = serializers.IntegerField(min_value=1)


class MessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MESSAGE_MAX_LENGTH, required=False, allow_blank=True)
    client_msg_id = serializers.RegexField(r"^[A-Za-z0-9_.:-]{1,64}$", max_length=64)
    reply_to = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    card = CardRefSerializer(required=False, allow_null=True)

    def validate(self, attrs: dict) -> dict:
        attrs["body"] = (attrs.get("body") or "").strip()
        if not attrs["body"] and not attrs.get("card"):
            raise serializers.ValidationError({"body": ["Write something or attach a card."]})
        return attrs


class ImageMessageSerializer(serializers.Serializer):
    image = serializers.FileField()
    client_msg_id = serializers.RegexField(r"^[A-Za-z0-9_.:-]{1,64}$", max_length=64)
    body = serializers.CharField(
        max_length=MESSAGE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class ReactionSerializer(serializers.Serializer):
    emoji = serializers.CharField(max_length=REACTION_MAX_LENGTH)


class ReactionResultSerializer(serializers.Serializer):
    emoji = serializers.CharField()
    count = serializers.IntegerField()


class MessageEditSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)


class MessageQuerySerializer(serializers.Serializer):
    after_seq = serializers.IntegerField(required=False, min_value=0)
    before_seq = serializers.IntegerField(required=False, min_value=1)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MESSAGE_PAGE_MAX)
    q = serializers.CharField(required=False, max_length=100)


class ReadSerializer(serializers.Serializer):
    seq = serializers.IntegerField(min_value=0)
