"""The renovation case aggregate and its events.

Import event classes from here (or as `RenovationCase.<Name>`): the aggregate binds each declared
event class to the method that applies it, and these bound classes are the ones stored events
resolve to. `events.py` holds the declarations only.
"""

from renovation.aggregates.case.aggregate import RenovationCase, case_id

ApplicationSubmitted = RenovationCase.ApplicationSubmitted
CategoryCertified = RenovationCase.CategoryCertified
HouseGraded = RenovationCase.HouseGraded
NoHouseStatusRecorded = RenovationCase.NoHouseStatusRecorded
DemocraticReviewHeld = RenovationCase.DemocraticReviewHeld
PublicNoticePosted = RenovationCase.PublicNoticePosted
PublicNoticeClosed = RenovationCase.PublicNoticeClosed
TownshipReviewed = RenovationCase.TownshipReviewed
MeansAssessed = RenovationCase.MeansAssessed
CountyApprovalGranted = RenovationCase.CountyApprovalGranted
CaseRejected = RenovationCase.CaseRejected
CaseWithdrawn = RenovationCase.CaseWithdrawn
AgreementSigned = RenovationCase.AgreementSigned
ConstructionStarted = RenovationCase.ConstructionStarted
ConstructionProgressReported = RenovationCase.ConstructionProgressReported
ConstructionCompleted = RenovationCase.ConstructionCompleted
CountyAcceptanceRecorded = RenovationCase.CountyAcceptanceRecorded
CitySpotCheckRecorded = RenovationCase.CitySpotCheckRecorded
ProvincialAcceptanceRecorded = RenovationCase.ProvincialAcceptanceRecorded
OldHouseDemolished = RenovationCase.OldHouseDemolished
PaymentRequested = RenovationCase.PaymentRequested
PaymentDisbursed = RenovationCase.PaymentDisbursed
CaseClosed = RenovationCase.CaseClosed
DataCorrected = RenovationCase.DataCorrected

__all__ = [
    "AgreementSigned",
    "ApplicationSubmitted",
    "CaseClosed",
    "CaseRejected",
    "CaseWithdrawn",
    "CategoryCertified",
    "CitySpotCheckRecorded",
    "ConstructionCompleted",
    "ConstructionProgressReported",
    "ConstructionStarted",
    "CountyAcceptanceRecorded",
    "CountyApprovalGranted",
    "DataCorrected",
    "DemocraticReviewHeld",
    "HouseGraded",
    "MeansAssessed",
    "NoHouseStatusRecorded",
    "OldHouseDemolished",
    "PaymentDisbursed",
    "PaymentRequested",
    "ProvincialAcceptanceRecorded",
    "PublicNoticeClosed",
    "PublicNoticePosted",
    "RenovationCase",
    "TownshipReviewed",
    "case_id",
]
