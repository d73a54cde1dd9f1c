"""Support desk API: conversations, the agents' queue and actions, feedback."""

from typing import cast

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chat.api.messages.serializers import ChatUserSerializer
from chat.exceptions import NotStaffError
from chat.models import MESSAGE_MAX_LENGTH, Feedback, SupportConversation
from chat.selectors import support as sel
from chat.services import support as svc
from community.models import User
from community.selectors.social import user_get_active
from config.pagination import one_page, one_page_schema
from groupbuy.selectors.catalog import product_get

# --- serializers ----------------------------------------------------------------------------------


class ConversationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    room = serializers.IntegerField(source="room_id")
    member = ChatUserSerializer()
    agent = ChatUserSerializer(allow_null=True)
    order = serializers.IntegerField(source="order_id", allow_null=True)
    status = serializers.CharField(help_text="bot, waiting, claimed or closed")
    priority = serializers.IntegerField()
    rating = serializers.IntegerField(allow_null=True)
    rating_feedback = serializers.CharField()
    requested_at = serializers.DateTimeField(allow_null=True)
    claimed_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class ConversationListSerializer(serializers.Serializer):
    """The response of GET conversations/: two lists, not one page."""

    results = ConversationSerializer(many=True, help_text="the caller's own conversations")
    assigned = ConversationSerializer(
        many=True, help_text="those claimed by the caller (agents; empty for everyone else)"
    )


class QueueItemSerializer(ConversationSerializer):
    first_message = serializers.SerializerMethodField()

    def get_first_message(self, conversation: SupportConversation) -> str:
        message = self.context["first"].get(conversation.room_id)
        return message.body[:200] if message is not None else ""


class ConversationCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)
    order = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    client_msg_id = serializers.RegexField(
        r"^[A-Za-z0-9_.:-]{1,64}$", max_length=64, required=False
    )


class TransferSerializer(serializers.Serializer):
    agent = serializers.CharField(max_length=150)


class RateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    feedback = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class FeedbackSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = ChatUserSerializer()
    product = serializers.IntegerField(source="product_id", allow_null=True)
    body = serializers.CharField()
    status = serializers.CharField(help_text="new, accepted or rejected")
    points_awarded = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class FeedbackCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=2000)
    product = serializers.IntegerField(required=False, allow_null=True, min_value=1)


# --- views ----------------------------------------------------------------------------------------


def _me(request: Request) -> User:
    return cast(User, request.user)


def _conversation(request: Request, conversation_id: int) -> SupportConversation:
    return sel.support_conversation_get(conversation_id=conversation_id, viewer=_me(request))


class ConversationsView(APIView):
    # Named as a list operation: a single-object response would collide with the detail's id.
    @extend_schema(
        operation_id="v1_support_conversations_list", responses=ConversationListSerializer
    )
    def get(self, request: Request) -> Response:
        """My support conversations (for an agent: also those assigned to them)."""
        me = _me(request)
        rows = list(sel.support_conversations_of(user=me))
        assigned = list(sel.support_conversations_assigned(agent=me)) if sel.is_agent(me) else []
        return Response(
            {
                "results": ConversationSerializer(rows, many=True).data,
                "assigned": ConversationSerializer(assigned, many=True).data,
            }
        )

    @extend_schema(
        request=ConversationCreateSerializer,
        responses={201: ConversationSerializer},
    )
    def post(self, request: Request) -> Response:
        """Open a conversation; the FAQ bot answers in the room at once."""
        data = ConversationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data["body"].strip()
        if not body:
            raise serializers.ValidationError({"body": ["Tell us what you need."]})
        conversation = svc.support_conversation_open(
            actor=_me(request),
            body=body,
            order_id=data.validated_data.get("order"),
            client_msg_id=data.validated_data.get("client_msg_id", ""),
        )
        return Response(ConversationSerializer(conversation).data, status=status.HTTP_201_CREATED)


class ConversationDetailView(APIView):
    @extend_schema(responses=ConversationSerializer)
    def get(self, request: Request, conversation_id: int) -> Response:
        return Response(ConversationSerializer(_conversation(request, conversation_id)).data)


def _action(name: str, doc: str, request_serializer=None):
    class ActionView(APIView):
        @extend_schema(request=request_serializer, responses=ConversationSerializer, summary=doc)
        def post(self, request: Request, conversation_id: int) -> Response:
            conversation = _conversation(request, conversation_id)
            me = _me(request)
            if name == "handoff":
                result = svc.support_handoff(actor=me, conversation=conversation)
            elif name == "claim":
                result = svc.support_claim(actor=me, conversation=conversation)
            elif name == "transfer":
                transfer = TransferSerializer(data=request.data)
                transfer.is_valid(raise_exception=True)
                target = user_get_active(username=transfer.validated_data["agent"])
                result = svc.support_transfer(actor=me, conversation=conversation, to=target)
            elif name == "close":
                result = svc.support_close(actor=me, conversation=conversation)
            else:
                data = RateSerializer(data=request.data)
                data.is_valid(raise_exception=True)
                result = svc.support_rate(
                    actor=me,
                    conversation=conversation,
                    rating=data.validated_data["rating"],
                    feedback=data.validated_data["feedback"].strip(),
                )
            return Response(ConversationSerializer(result).data)

    ActionView.__name__ = f"Support{name.title()}View"
    ActionView.__doc__ = doc
    return ActionView


HandoffView = _action("handoff", "Talk to a person: join the agents' queue (member).")
ClaimView = _action("claim", "Take a waiting conversation (agent); 409 already_claimed.")
TransferView = _action("transfer", "Hand the conversation to another agent.", TransferSerializer)
CloseView = _action("close", "Close the conversation (member or assigned agent).")
RateView = _action("rate", "Rate a closed conversation 1-5 (member, once).", RateSerializer)


class QueueView(APIView):
    @extend_schema(responses=QueueItemSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Agents: waiting conversations, Platinum first, then the oldest."""
        rows = list(sel.support_queue(viewer=_me(request))[:100])
        first = sel.first_messages(rows)
        return Response(
            {"results": QueueItemSerializer(rows, many=True, context={"first": first}).data}
        )


class FaqView(APIView):
    @extend_schema(responses=None)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "results": [
                    {"id": e.pk, "question": e.question, "answer": e.answer} for e in sel.faq_list()
                ]
            }
        )


class FeedbackListView(APIView):
    # API.md's list shape, one page (the newest 200): the schema says so (issue #17, finding 8).
    @extend_schema(responses=one_page_schema("FeedbackPage", FeedbackSerializer(many=True)))
    def get(self, request: Request) -> Response:
        rows = list(sel.feedback_list(viewer=_me(request))[:200])
        return Response(one_page(FeedbackSerializer(rows, many=True).data))

    @extend_schema(request=FeedbackCreateSerializer, responses={201: FeedbackSerializer})
    def post(self, request: Request) -> Response:
        data = FeedbackCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data["body"].strip()
        if not body:
            raise serializers.ValidationError({"body": ["Tell us what you think."]})
        feedback = svc.feedback_create(
            actor=_me(request), body=body, product_id=_product_id(data.validated_data, request)
        )
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)


def _product_id(validated: dict, request: Request) -> int | None:
    product = validated.get("product")
    if product is None:
        return None
    try:
        return product_get(product_id=product, viewer=_me(request)).pk
    except Http404 as exc:
        raise serializers.ValidationError({"product": ["No such product."]}) from exc


def _review(accept: bool):
    class ReviewView(APIView):
        @extend_schema(
            request=None,
            responses={
                200: FeedbackSerializer,
                409: OpenApiResponse(description="already_reviewed"),
            },
        )
        def post(self, request: Request, feedback_id: int) -> Response:
            if not sel.is_staff(_me(request)):
                raise NotStaffError()
            feedback: Feedback = sel.feedback_get(feedback_id=feedback_id)
            result = svc.feedback_review(actor=_me(request), feedback=feedback, accept=accept)
            return Response(FeedbackSerializer(result).data)

    ReviewView.__name__ = "FeedbackAcceptView" if accept else "FeedbackRejectView"
    ReviewView.__doc__ = (
        "Staff: accept feedback (awards points once)." if accept else "Staff: reject."
    )
    return ReviewView


FeedbackAcceptView = _review(True)
FeedbackRejectView = _review(False)
