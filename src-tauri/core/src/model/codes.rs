//! Code lists from HTCDS 2.0 (IOM, CC BY 4.0; ../shared/domain/htcds-2.0-fields.txt). Values
//! serialise exactly as HTCDS names them, so exported data needs no translation table.

use serde::{Deserialize, Serialize};

macro_rules! code_list {
    ($(#[$doc:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The HTCDS value name.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> crate::Result<Self> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code().eq_ignore_ascii_case(s.trim()))
                    .ok_or_else(|| crate::Error::invalid(format!(
                        "{s:?} is not a {}; use one of: {}",
                        stringify!($name),
                        $name::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", ")
                    )))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

code_list!(
    /// prs_Gender.
    Gender { Feminine, Masculine, TransgenderFeminine, TransgenderMasculine, NonConforming, NonSpecifiedUnknown }
);

code_list!(
    /// vic_TypeOfExploitation. Forced criminality is recorded as `Other` with a detail until HTCDS
    /// has a code for it.
    ExploitationType {
        ForcedLabour, SexualExploitation, ChildLabour, ForcedMarriage, Servitude,
        ForcedMilitaryByNonStateActors, OrganRemoval, ForcedBegging, ForcedAdoption, Surrogacy, Other
    }
);

code_list!(
    /// vic_MethodsOfControl, with `UsesChildren` from the domain brief.
    MethodOfControl {
        PhysicalThreats, ThreatsLawEnforcement, ThreatensChildrenFamily, DebtBondage, FalsePromises,
        PhysicalAbuse, SexualAbuse, TakesEarnings, RestrictsFinancialAccess, RestrictsMedicalCare,
        WithholdsNecessities, PsychologicalAbuse, PsychoactiveSubstance, ExcessiveWorkingHours,
        WithholdsDocuments, RestrictsMovement, UsesChildren, Other
    }
);

code_list!(
    /// vic_MethodOfRecruitment.
    MethodOfRecruitment {
        AtAPlaceOfBusiness, AtAnEducationalInstitution, AtWork, ThroughOnlineSocialNetworks,
        ThroughAnOnlineAdvertisement, ThroughATelevisionAdvert, ThroughANewspaperAdvert,
        ThroughFamilyOrFamilyEvents, ThroughFriendsOrSocialEvents, Other
    }
);

code_list!(
    /// vic_RelationshipToTrafficker (HTCDS spells the last one "Unaquainted").
    RelationshipToTrafficker { Familial, Acquainted, Unaquainted }
);

code_list!(
    /// vic_ForcedLabourIndustry: ISIC rev. 4, tier 1, spelt as HTCDS spells it.
    #[allow(non_camel_case_types)]
    ForcedLabourIndustry {
        A_AgricultureForestryAndFishing, B_MiningAndQuarrying, C_Manufacturing,
        D_ElectricityGasSteamAndAirConditioningSupply, E_WaterSupplySewerageWasteManagement,
        F_Construction, G_WholesaleAndRetailTradeRepairOfMotorVehicles, H_TransportationAndStorage,
        I_AccommodationAndFoodServiceActivities, J_InformationAndCommunication,
        K_FinancialAndInsuranceActivities, L_RealEstateActivities,
        M_ProfessionalScientificAndTechnicalActivities, N_AdministrativeAndSupportServiceActivities,
        O_PublicAdministrationAndDefence, P_Education, Q_HumanHealthAndSocialWorkActivities,
        R_ArtsEntertainmentAndRecreation, S_OtherServiceActivities,
        T_ActivitiesOfHouseholdsAsEmployers, U_ActivitiesOfExtraterritorialOrganizations
    }
);

code_list!(
    /// vic_TypeOfSexExploitation.
    SexExploitationType { Prostitution, Pornography, RemoteInteractiveServices, PrivateSexualServices }
);

code_list!(
    /// vic_TraffickingStatus.
    TraffickingStatus { PossibleVictimOfTrafficking, ActualVictimOfTrafficking, NotAVictimOfTrafficking }
);

code_list!(
    /// vic_TraffickingStatusDecisionMakingOrg.
    StatusDecisionMaker { Police, NGO, CourtOrProsecution, NonPoliceGovernmentalOrganization, Other }
);

code_list!(
    /// cas_Status.
    CaseStatus { Active, FollowUp, Closed, ClosedReferred }
);

code_list!(
    /// hte_Type.
    TraffickingEventType { Recruitment, Transit, Exploitation }
);

code_list!(
    /// spl_Type.
    SupportPlanType {
        Education, Financial, Health, LabourExploitationRehabilitation, Legal, Livelihood,
        RightsBasedTraining, SexualExploitationRehabilitation, SocialCare
    }
);

code_list!(
    /// org_Type: what kind of organisation a recipient is.
    OrganisationType {
        NGO, LawEnforcement, HealthServiceOrganisation, CentralGovernmentOrganisation,
        LocalGovernmentOrganisation, ImmigrationService, LegalService, CorporateBusiness, SchoolOrCollege
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_htcds_names() {
        assert_eq!(
            serde_json::to_string(&ExploitationType::SexualExploitation).unwrap(),
            "\"SexualExploitation\""
        );
        assert_eq!(
            ForcedLabourIndustry::F_Construction.code(),
            "F_Construction"
        );
    }

    #[test]
    fn codes_parse_ignoring_case_and_list_the_choices_when_wrong() {
        assert_eq!(
            "debtbondage".parse::<MethodOfControl>().unwrap(),
            MethodOfControl::DebtBondage
        );
        let err = "Slavery".parse::<CaseStatus>().unwrap_err().to_string();
        assert!(
            err.contains("Active, FollowUp, Closed, ClosedReferred"),
            "{err}"
        );
    }

    #[test]
    fn every_htcds_exploitation_type_and_control_method_is_here() {
        let sheet = include_str!("../../tests/data/htcds-2.0-fields.txt");
        for (field, codes) in [
            (
                "vic_TypeOfExploitation",
                ExploitationType::ALL
                    .iter()
                    .map(|c| c.code())
                    .collect::<Vec<_>>(),
            ),
            (
                "vic_MethodsOfControl",
                MethodOfControl::ALL.iter().map(|c| c.code()).collect(),
            ),
            (
                "cas_Status",
                CaseStatus::ALL.iter().map(|c| c.code()).collect(),
            ),
            ("prs_Gender", Gender::ALL.iter().map(|c| c.code()).collect()),
            (
                "org_Type",
                OrganisationType::ALL.iter().map(|c| c.code()).collect(),
            ),
            (
                "vic_MethodOfRecruitment",
                MethodOfRecruitment::ALL.iter().map(|c| c.code()).collect(),
            ),
        ] {
            let line = sheet
                .lines()
                .find(|l| l.contains(&format!("| {field} |")))
                .unwrap_or_else(|| panic!("{field} missing from the sheet"));
            let values = line.split(" | ").nth(9).unwrap();
            for value in values.split(" / ").map(str::trim).filter(|v| !v.is_empty()) {
                assert!(codes.contains(&value), "{field}: {value} missing");
            }
        }
    }
}
