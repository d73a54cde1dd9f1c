"""Chat API serializers; the realtime events reuse the output ones (chat/events.py)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chat.cards import cards_render
from chat.limits import GROUP_MAX_MEMBERS
from chat.models import (
    MESSAGE_MAX_LENGTH,
    REACTION_MAX_LENGTH,
    ROOM_TITLE_MAX_LENGTH,
    Message,
    RoomKind,
    RoomMember,
)
from chat.selectors import MESSAGE_PAGE_MAX, room_display_title

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
        return "" if message.is_deleted else message.body[:140]


class ImageSerializer(serializers.Serializer):
    url = serializers.CharField()
    thumbnail_url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class ReactionCountSerializer(serializers.Serializer):
    emoji = serializers.CharField()
    count = serializers.IntegerField()
    mine = serializers.BooleanField()


def _render_cards(context: dict, messages) -> None:
    """Render the cards of a page of messages in one batch per kind, into the shared context."""
    rendered = context.setdefault("_cards", {})
    keys = {
        (m.card_kind, m.card_ref)
        for m in messages
        if m is not None and not m.is_deleted and m.card_kind and m.card_ref is not None
    }
    missing = [key for key in keys if key not in rendered]
    if missing:
        rendered.update(cards_render(missing, context.get("viewer")))


class MessageListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        messages = list(data.all() if hasattr(data, "all") else data)
        _render_cards(self.context, messages)
        return super().to_representation(messages)


class MessageSerializer(serializers.Serializer):
    """A message; pass ``context={"viewer": user}`` so cards and reactions are the viewer's."""

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

    def get_body(self, message: Message) -> str:
        return "" if message.is_deleted else message.body

    def get_deleted(self, message: Message) -> bool:
        return message.is_deleted

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_image(self, message: Message) -> dict | None:
        if message.is_deleted or not message.image:
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
        if message.is_deleted or not message.card_kind or message.card_ref is None:
            return None
        # A page was rendered in batches by its list serializer; a lone message renders its own.
        _render_cards(self.context, [message])
        return self.context["_cards"][(message.card_kind, message.card_ref)]

    @extend_schema_field(ReactionCountSerializer(many=True))
    def get_reactions(self, message: Message) -> list[dict]:
        if message.pk is None:
            return []
        viewer = self.context.get("viewer")
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


class RoomListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        memberships = list(data.all() if hasattr(data, "all") else data)
        last = [getattr(m.room, "last_message", None) for m in memberships]
        _render_cards(self.context, last)
        return super().to_representation(memberships)


class RoomSerializer(serializers.Serializer):
    """A room as one member sees it: their read state and role included; pass
    ``context={"viewer": user}`` so the last message's card is theirs."""

    class Meta:
        list_serializer_class = RoomListSerializer

    id = serializers.IntegerField(source="room.id")
    kind = serializers.CharField(source="room.kind", help_text="direct, group or community")
    title = serializers.SerializerMethodField()
    community = serializers.IntegerField(source="room.community_id", allow_null=True)
    peer = serializers.SerializerMethodField()
    last_seq = serializers.IntegerField(source="room.last_seq")
    last_read_seq = serializers.IntegerField()
    unread_count = serializers.SerializerMethodField()
    role = serializers.CharField()
    muted = serializers.BooleanField()
    last_message = serializers.SerializerMethodField()
    last_activity_at = serializers.DateTimeField(source="room.last_activity_at")
    created_at = serializers.DateTimeField(source="room.created_at")

    def get_title(self, membership: RoomMember) -> str:
        return room_display_title(membership.room, getattr(membership.room, "peer", None))

    @extend_schema_field(ChatUserSerializer(allow_null=True))
    def get_peer(self, membership: RoomMember) -> dict | None:
        peer = getattr(membership.room, "peer", None)
        return dict(ChatUserSerializer(peer).data) if peer is not None else None

    def get_unread_count(self, membership: RoomMember) -> int:
        return max(0, membership.room.last_seq - membership.last_read_seq)

    @extend_schema_field(MessageSerializer(allow_null=True))
    def get_last_message(self, membership: RoomMember) -> dict | None:
        message = getattr(membership.room, "last_message", None)
        if message is None:
            return None
        return dict(MessageSerializer(message, context=self.context).data)


class RoomMemberSerializer(serializers.Serializer):
    user = ChatUserSerializer()
    role = serializers.CharField()
    last_read_seq = serializers.IntegerField()
    joined_at = serializers.DateTimeField()


class RoomDetailSerializer(RoomSerializer):
    member_count = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()

    def get_member_count(self, membership: RoomMember) -> int:
        return len(self.context["members"])

    @extend_schema_field(RoomMemberSerializer(many=True))
    def get_members(self, membership: RoomMember) -> list:
        return list(RoomMemberSerializer(self.context["members"], many=True).data)


class MessageWindowSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = MessageSerializer(many=True)


# --- input ----------------------------------------------------------------------------------


class RoomCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[RoomKind.DIRECT, RoomKind.GROUP])
    user = serializers.CharField(max_length=150, required=False)
    title = serializers.CharField(max_length=ROOM_TITLE_MAX_LENGTH, required=False)
    members = serializers.ListField(
        child=serializers.CharField(max_length=150),
        required=False,
        max_length=GROUP_MAX_MEMBERS,
    )

    def validate(self, attrs: dict) -> dict:
        if attrs["kind"] == RoomKind.DIRECT and not attrs.get("user"):
            raise serializers.ValidationError({"user": ["Name the person to message."]})
        if attrs["kind"] == RoomKind.GROUP and not (attrs.get("title") or "").strip():
            raise serializers.ValidationError({"title": ["A group room needs a title."]})
        return attrs


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


class MembersAddSerializer(serializers.Serializer):
    members = serializers.ListField(
        child=serializers.CharField(max_length=150), min_length=1, max_length=GROUP_MAX_MEMBERS
    )


class PresenceSerializer(serializers.Serializer):
    user = ChatUserSerializer()
    online = serializers.BooleanField()
    last_seen = serializers.DateTimeField(allow_null=True)


class PresenceListSerializer(serializers.Serializer):
    results = PresenceSerializer(many=True)
