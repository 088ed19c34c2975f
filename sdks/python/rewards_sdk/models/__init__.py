"""Contains all the data models used in inputs/outputs"""

from .api_key_create import ApiKeyCreate
from .api_key_create_scopes_type_0_item import ApiKeyCreateScopesType0Item
from .api_key_created import ApiKeyCreated
from .batch import Batch
from .batch_create import BatchCreate
from .batch_gift import BatchGift
from .batch_gift_metadata_type_0 import BatchGiftMetadataType0
from .batch_gift_page import BatchGiftPage
from .batch_gift_status import BatchGiftStatus
from .batch_item import BatchItem
from .batch_status import BatchStatus
from .blocked_plays import BlockedPlays
from .blocklist_entry import BlocklistEntry
from .branding import Branding
from .budget import Budget
from .budget_figures import BudgetFigures
from .campaign import Campaign
from .campaign_budget_exhausted_event import CampaignBudgetExhaustedEvent
from .campaign_budget_exhausted_event_type import CampaignBudgetExhaustedEventType
from .campaign_budget_low_event import CampaignBudgetLowEvent
from .campaign_budget_low_event_type import CampaignBudgetLowEventType
from .campaign_budget_payload import CampaignBudgetPayload
from .campaign_create import CampaignCreate
from .campaign_create_currency import CampaignCreateCurrency
from .campaign_ended_event import CampaignEndedEvent
from .campaign_ended_event_type import CampaignEndedEventType
from .campaign_page import CampaignPage
from .campaign_patch import CampaignPatch
from .campaign_patch_status import CampaignPatchStatus
from .campaign_payload import CampaignPayload
from .campaign_report_csv_granularity import CampaignReportCsvGranularity
from .campaign_report_granularity import CampaignReportGranularity
from .campaign_status import CampaignStatus
from .capture_request import CaptureRequest
from .capture_result import CaptureResult
from .count_amount import CountAmount
from .create_export_unmask import CreateExportUnmask
from .delivery import Delivery
from .delivery_channel import DeliveryChannel
from .delivery_kind import DeliveryKind
from .delivery_list import DeliveryList
from .delivery_payload import DeliveryPayload
from .delivery_payload_channel import DeliveryPayloadChannel
from .delivery_payload_kind import DeliveryPayloadKind
from .delivery_payload_status import DeliveryPayloadStatus
from .delivery_progress import DeliveryProgress
from .delivery_settings import DeliverySettings
from .delivery_settings_channels_item import DeliverySettingsChannelsItem
from .delivery_settings_locale_type_0 import DeliverySettingsLocaleType0
from .delivery_status import DeliveryStatus
from .endpoint_health import EndpointHealth
from .endpoint_health_state import EndpointHealthState
from .erased_counts import ErasedCounts
from .erasure import Erasure
from .erasure_create import ErasureCreate
from .erasure_subject import ErasureSubject
from .event import Event
from .event_data import EventData
from .event_page import EventPage
from .event_type import EventType
from .export import Export
from .export_create import ExportCreate
from .export_create_kind import ExportCreateKind
from .export_status import ExportStatus
from .fairness import Fairness
from .fairness_info import FairnessInfo
from .field_error import FieldError
from .game_config import GameConfig
from .game_config_kind import GameConfigKind
from .gift import Gift
from .gift_batch_completed_event import GiftBatchCompletedEvent
from .gift_batch_completed_event_type import GiftBatchCompletedEventType
from .gift_batch_payload import GiftBatchPayload
from .gift_create import GiftCreate
from .gift_create_metadata_type_0 import GiftCreateMetadataType0
from .gift_delivery_failed_event import GiftDeliveryFailedEvent
from .gift_delivery_failed_event_type import GiftDeliveryFailedEventType
from .gift_delivery_sent_event import GiftDeliverySentEvent
from .gift_delivery_sent_event_type import GiftDeliverySentEventType
from .gift_detail import GiftDetail
from .gift_detail_metadata_type_0 import GiftDetailMetadataType0
from .gift_detail_status import GiftDetailStatus
from .gift_event import GiftEvent
from .gift_event_page import GiftEventPage
from .gift_event_type import GiftEventType
from .gift_figures import GiftFigures
from .gift_issued_event import GiftIssuedEvent
from .gift_issued_event_type import GiftIssuedEventType
from .gift_metadata_type_0 import GiftMetadataType0
from .gift_page import GiftPage
from .gift_page_view_lang import GiftPageViewLang
from .gift_payload import GiftPayload
from .gift_redeemed_event import GiftRedeemedEvent
from .gift_redeemed_event_type import GiftRedeemedEventType
from .gift_redeemed_payload import GiftRedeemedPayload
from .gift_status import GiftStatus
from .gift_voided_event import GiftVoidedEvent
from .gift_voided_event_type import GiftVoidedEventType
from .health import Health
from .hold import Hold
from .hold_create import HoldCreate
from .hold_created import HoldCreated
from .hold_created_status import HoldCreatedStatus
from .hold_status import HoldStatus
from .limits import Limits
from .list_events_type import ListEventsType
from .list_gifts_status import ListGiftsStatus
from .migration_counts import MigrationCounts
from .migration_progress import MigrationProgress
from .operator_health import OperatorHealth
from .operator_health_status import OperatorHealthStatus
from .partner import Partner
from .partner_create import PartnerCreate
from .partner_patch import PartnerPatch
from .play_limits import PlayLimits
from .player_gift_page import PlayerGiftPage
from .player_token import PlayerToken
from .player_token_create import PlayerTokenCreate
from .preview import Preview
from .preview_channel import PreviewChannel
from .preview_kind import PreviewKind
from .preview_locale import PreviewLocale
from .preview_request import PreviewRequest
from .preview_zalo_params_type_0 import PreviewZaloParamsType0
from .prize import Prize
from .prize_line import PrizeLine
from .prize_line_quantity_basis import PrizeLineQuantityBasis
from .prize_result import PrizeResult
from .prize_structure import PrizeStructure
from .problem import Problem
from .recipient import Recipient
from .recipient_erased_event import RecipientErasedEvent
from .recipient_erased_event_type import RecipientErasedEventType
from .recipient_erased_payload import RecipientErasedPayload
from .recipient_erased_payload_subject import RecipientErasedPayloadSubject
from .redeem_request import RedeemRequest
from .redeem_result import RedeemResult
from .redelivery import Redelivery
from .redemption import Redemption
from .redemption_reversed_event import RedemptionReversedEvent
from .redemption_reversed_event_type import RedemptionReversedEventType
from .redemption_reversed_payload import RedemptionReversedPayload
from .release_request import ReleaseRequest
from .release_result import ReleaseResult
from .report import Report
from .report_granularity_type_0 import ReportGranularityType0
from .resend_request import ResendRequest
from .resend_request_channel_type_0 import ResendRequestChannelType0
from .results_report import ResultsReport
from .results_report_format import ResultsReportFormat
from .reversal import Reversal
from .reversal_create import ReversalCreate
from .sample_values import SampleValues
from .secret_problem import SecretProblem
from .segment import Segment
from .segment_count import SegmentCount
from .segment_labels import SegmentLabels
from .send_window import SendWindow
from .series_point import SeriesPoint
from .sms_cost import SmsCost
from .sms_cost_encoding import SmsCostEncoding
from .spin import Spin
from .spin_fairness import SpinFairness
from .spin_figures import SpinFigures
from .spin_page import SpinPage
from .spin_prize import SpinPrize
from .spin_record import SpinRecord
from .spin_request import SpinRequest
from .spin_won_event import SpinWonEvent
from .spin_won_event_type import SpinWonEventType
from .spin_won_payload import SpinWonPayload
from .suppression import Suppression
from .suppression_reason import SuppressionReason
from .template import Template
from .template_body import TemplateBody
from .template_body_zalo_params_type_0 import TemplateBodyZaloParamsType0
from .template_channel import TemplateChannel
from .template_kind import TemplateKind
from .template_locale import TemplateLocale
from .template_source import TemplateSource
from .template_zalo_params_type_0 import TemplateZaloParamsType0
from .topup_create import TopupCreate
from .void_request import VoidRequest
from .webhook_delivery import WebhookDelivery
from .webhook_delivery_page import WebhookDeliveryPage
from .webhook_delivery_status import WebhookDeliveryStatus
from .webhook_endpoint import WebhookEndpoint
from .webhook_endpoint_create import WebhookEndpointCreate
from .webhook_endpoint_page import WebhookEndpointPage
from .webhook_endpoint_patch import WebhookEndpointPatch
from .webhook_endpoint_patch_status import WebhookEndpointPatchStatus
from .webhook_endpoint_status import WebhookEndpointStatus
from .webhook_secret_rotated import WebhookSecretRotated
from .wheel_config import WheelConfig
from .wheel_segment_odds import WheelSegmentOdds
from .wheel_segment_odds_labels import WheelSegmentOddsLabels
from .wheel_view import WheelView
from .wheel_view_status import WheelViewStatus
from .won_prize import WonPrize
from .zalo_settings import ZaloSettings
from .zalo_status import ZaloStatus
from .zalo_status_template_ids import ZaloStatusTemplateIds
from .zalo_template_ids import ZaloTemplateIds

__all__ = (
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyCreateScopesType0Item",
    "Batch",
    "BatchCreate",
    "BatchGift",
    "BatchGiftMetadataType0",
    "BatchGiftPage",
    "BatchGiftStatus",
    "BatchItem",
    "BatchStatus",
    "BlockedPlays",
    "BlocklistEntry",
    "Branding",
    "Budget",
    "BudgetFigures",
    "Campaign",
    "CampaignBudgetExhaustedEvent",
    "CampaignBudgetExhaustedEventType",
    "CampaignBudgetLowEvent",
    "CampaignBudgetLowEventType",
    "CampaignBudgetPayload",
    "CampaignCreate",
    "CampaignCreateCurrency",
    "CampaignEndedEvent",
    "CampaignEndedEventType",
    "CampaignPage",
    "CampaignPatch",
    "CampaignPatchStatus",
    "CampaignPayload",
    "CampaignReportCsvGranularity",
    "CampaignReportGranularity",
    "CampaignStatus",
    "CaptureRequest",
    "CaptureResult",
    "CountAmount",
    "CreateExportUnmask",
    "Delivery",
    "DeliveryChannel",
    "DeliveryKind",
    "DeliveryList",
    "DeliveryPayload",
    "DeliveryPayloadChannel",
    "DeliveryPayloadKind",
    "DeliveryPayloadStatus",
    "DeliveryProgress",
    "DeliverySettings",
    "DeliverySettingsChannelsItem",
    "DeliverySettingsLocaleType0",
    "DeliveryStatus",
    "EndpointHealth",
    "EndpointHealthState",
    "ErasedCounts",
    "Erasure",
    "ErasureCreate",
    "ErasureSubject",
    "Event",
    "EventData",
    "EventPage",
    "EventType",
    "Export",
    "ExportCreate",
    "ExportCreateKind",
    "ExportStatus",
    "Fairness",
    "FairnessInfo",
    "FieldError",
    "GameConfig",
    "GameConfigKind",
    "Gift",
    "GiftBatchCompletedEvent",
    "GiftBatchCompletedEventType",
    "GiftBatchPayload",
    "GiftCreate",
    "GiftCreateMetadataType0",
    "GiftDeliveryFailedEvent",
    "GiftDeliveryFailedEventType",
    "GiftDeliverySentEvent",
    "GiftDeliverySentEventType",
    "GiftDetail",
    "GiftDetailMetadataType0",
    "GiftDetailStatus",
    "GiftEvent",
    "GiftEventPage",
    "GiftEventType",
    "GiftFigures",
    "GiftIssuedEvent",
    "GiftIssuedEventType",
    "GiftMetadataType0",
    "GiftPage",
    "GiftPageViewLang",
    "GiftPayload",
    "GiftRedeemedEvent",
    "GiftRedeemedEventType",
    "GiftRedeemedPayload",
    "GiftStatus",
    "GiftVoidedEvent",
    "GiftVoidedEventType",
    "Health",
    "Hold",
    "HoldCreate",
    "HoldCreated",
    "HoldCreatedStatus",
    "HoldStatus",
    "Limits",
    "ListEventsType",
    "ListGiftsStatus",
    "MigrationCounts",
    "MigrationProgress",
    "OperatorHealth",
    "OperatorHealthStatus",
    "Partner",
    "PartnerCreate",
    "PartnerPatch",
    "PlayerGiftPage",
    "PlayerToken",
    "PlayerTokenCreate",
    "PlayLimits",
    "Preview",
    "PreviewChannel",
    "PreviewKind",
    "PreviewLocale",
    "PreviewRequest",
    "PreviewZaloParamsType0",
    "Prize",
    "PrizeLine",
    "PrizeLineQuantityBasis",
    "PrizeResult",
    "PrizeStructure",
    "Problem",
    "Recipient",
    "RecipientErasedEvent",
    "RecipientErasedEventType",
    "RecipientErasedPayload",
    "RecipientErasedPayloadSubject",
    "RedeemRequest",
    "RedeemResult",
    "Redelivery",
    "Redemption",
    "RedemptionReversedEvent",
    "RedemptionReversedEventType",
    "RedemptionReversedPayload",
    "ReleaseRequest",
    "ReleaseResult",
    "Report",
    "ReportGranularityType0",
    "ResendRequest",
    "ResendRequestChannelType0",
    "ResultsReport",
    "ResultsReportFormat",
    "Reversal",
    "ReversalCreate",
    "SampleValues",
    "SecretProblem",
    "Segment",
    "SegmentCount",
    "SegmentLabels",
    "SendWindow",
    "SeriesPoint",
    "SmsCost",
    "SmsCostEncoding",
    "Spin",
    "SpinFairness",
    "SpinFigures",
    "SpinPage",
    "SpinPrize",
    "SpinRecord",
    "SpinRequest",
    "SpinWonEvent",
    "SpinWonEventType",
    "SpinWonPayload",
    "Suppression",
    "SuppressionReason",
    "Template",
    "TemplateBody",
    "TemplateBodyZaloParamsType0",
    "TemplateChannel",
    "TemplateKind",
    "TemplateLocale",
    "TemplateSource",
    "TemplateZaloParamsType0",
    "TopupCreate",
    "VoidRequest",
    "WebhookDelivery",
    "WebhookDeliveryPage",
    "WebhookDeliveryStatus",
    "WebhookEndpoint",
    "WebhookEndpointCreate",
    "WebhookEndpointPage",
    "WebhookEndpointPatch",
    "WebhookEndpointPatchStatus",
    "WebhookEndpointStatus",
    "WebhookSecretRotated",
    "WheelConfig",
    "WheelSegmentOdds",
    "WheelSegmentOddsLabels",
    "WheelView",
    "WheelViewStatus",
    "WonPrize",
    "ZaloSettings",
    "ZaloStatus",
    "ZaloStatusTemplateIds",
    "ZaloTemplateIds",
)
