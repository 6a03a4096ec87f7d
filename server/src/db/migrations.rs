//! Schema migrations, shared by SQLite and PostgreSQL. Append new migrations; never edit a released one.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(Accounts),
            Box::new(CreateProfiles),
            Box::new(CreateCandidacies),
            Box::new(CreateDocuments),
            Box::new(AddDocumentSignature),
            Box::new(Submission),
            Box::new(CreateOwners),
            Box::new(CreateReminders),
            Box::new(AddLegalRepTaxCode),
            Box::new(Integrity),
            Box::new(FrozenReader),
            Box::new(LongerStatus),
            Box::new(Review),
            Box::new(Integration),
            Box::new(OneOpenRequest),
            Box::new(PublishedVersions),
            Box::new(SubmittedValues),
            Box::new(AddInternalNotes),
            Box::new(AddAuditLog),
            Box::new(StaffSecondFactor),
            Box::new(CatalogueGeneration),
            Box::new(AddSavedSearches),
        ]
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    Role,
    Lang,
    EmailVerifiedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum AuthTokens {
    Table,
    TokenHash,
    UserId,
    Purpose,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Key,
    At,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    ToAddr,
    Subject,
    BodyText,
    BodyHtml,
    Status,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    LockedBy,
    LastError,
    CreatedAt,
    SentAt,
    AttachmentName,
    AttachmentPath,
    Unsubscribe,
}

#[derive(DeriveMigrationName)]
struct Accounts;

#[async_trait::async_trait]
impl MigrationTrait for Accounts {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(big_pk_auto(Users::Id))
                .col(string_len_uniq(Users::Email, 254))
                .col(string_len(Users::PasswordHash, 200))
                .col(string_len(Users::Role, 20))
                .col(string_len(Users::Lang, 5))
                .col(timestamp_with_time_zone_null(Users::EmailVerifiedAt))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(string_len(Sessions::Id, 64).primary_key())
                .col(big_integer(Sessions::UserId))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuthTokens::Table)
                .col(string_len(AuthTokens::TokenHash, 64).primary_key())
                .col(big_integer(AuthTokens::UserId))
                .col(string_len(AuthTokens::Purpose, 20))
                .col(timestamp_with_time_zone(AuthTokens::CreatedAt))
                .col(timestamp_with_time_zone(AuthTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(AuthTokens::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(AuthTokens::Table, AuthTokens::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LoginFailures::Table)
                .col(big_pk_auto(LoginFailures::Id))
                .col(string_len(LoginFailures::Key, 300))
                .col(timestamp_with_time_zone(LoginFailures::At))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_login_failures_key_at")
                .table(LoginFailures::Table)
                .col(LoginFailures::Key)
                .col(LoginFailures::At)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(big_pk_auto(Outbox::Id))
                .col(string_len(Outbox::ToAddr, 254))
                .col(string_len(Outbox::Subject, 300))
                .col(text(Outbox::BodyText))
                .col(text(Outbox::BodyHtml))
                .col(string_len(Outbox::Status, 10))
                .col(integer(Outbox::Attempts))
                .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                .col(timestamp_with_time_zone_null(Outbox::LockedUntil))
                .col(string_len_null(Outbox::LockedBy, 64))
                .col(text_null(Outbox::LastError))
                .col(timestamp_with_time_zone(Outbox::CreatedAt))
                .col(timestamp_with_time_zone_null(Outbox::SentAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_due")
                .table(Outbox::Table)
                .col(Outbox::Status)
                .col(Outbox::NextAttemptAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Outbox::Table.into_iden(),
            LoginFailures::Table.into_iden(),
            AuthTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Profiles {
    Table,
    UserId,
    SubjectType,
    OrgType,
    Name,
    TaxCode,
    VatNumber,
    LegalRep,
    Address,
    Postcode,
    City,
    Email,
    Pec,
    Phone,
    PropertyRole,
    CreatedAt,
    UpdatedAt,
}

/// The proponent's profile (§4.2): one per account, reloaded into every new candidacy.
struct CreateProfiles;

// Named by hand: the derive names a migration after its module, which all of them share.
impl MigrationName for CreateProfiles {
    fn name(&self) -> &str {
        "m20261122_000002_create_profiles"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateProfiles {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Profiles::Table)
                .col(big_integer(Profiles::UserId).primary_key())
                .col(string_len(Profiles::SubjectType, 20))
                .col(string_len_null(Profiles::OrgType, 20))
                .col(string_len(Profiles::Name, 200))
                .col(string_len(Profiles::TaxCode, 16))
                .col(string_len_null(Profiles::VatNumber, 11))
                .col(string_len_null(Profiles::LegalRep, 200))
                .col(string_len(Profiles::Address, 200))
                .col(string_len(Profiles::Postcode, 5))
                .col(string_len(Profiles::City, 200))
                .col(string_len(Profiles::Email, 254))
                .col(string_len_null(Profiles::Pec, 254))
                .col(string_len(Profiles::Phone, 40))
                .col(string_len(Profiles::PropertyRole, 30))
                .col(timestamp_with_time_zone(Profiles::CreatedAt))
                .col(timestamp_with_time_zone(Profiles::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Profiles::Table, Profiles::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Profiles::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Candidacies {
    Table,
    Id,
    UserId,
    Kind,
    Status,
    MunicipalityCode,
    Address,
    Postcode,
    Latitude,
    Longitude,
    CreatedAt,
    UpdatedAt,
    Reference,
    SubmittedAt,
    OwnerId,
}

#[derive(DeriveIden)]
enum Owners {
    Table,
    Id,
    DelegateId,
    SubjectType,
    OrgType,
    Name,
    TaxCode,
    VatNumber,
    LegalRep,
    Address,
    Postcode,
    City,
    Email,
    Pec,
    Phone,
    PropertyRole,
    ReadAccess,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CandidacyEvents {
    Table,
    Id,
    CandidacyId,
    At,
    ActorId,
    FromStatus,
    ToStatus,
    Note,
}

/// Candidacies of sites (§4.2), starting as drafts a proponent fills step by step.
struct CreateCandidacies;

impl MigrationName for CreateCandidacies {
    fn name(&self) -> &str {
        "m20261122_000003_create_candidacies"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateCandidacies {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Candidacies::Table)
                .col(big_pk_auto(Candidacies::Id))
                .col(big_integer(Candidacies::UserId))
                .col(string_len(Candidacies::Kind, 1))
                .col(string_len(Candidacies::Status, 20))
                .col(string_len_null(Candidacies::MunicipalityCode, 6))
                .col(string_len_null(Candidacies::Address, 200))
                .col(string_len_null(Candidacies::Postcode, 5))
                .col(double_null(Candidacies::Latitude))
                .col(double_null(Candidacies::Longitude))
                .col(timestamp_with_time_zone(Candidacies::CreatedAt))
                .col(timestamp_with_time_zone(Candidacies::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Candidacies::Table, Candidacies::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("candidacies_by_user")
                .table(Candidacies::Table)
                .col(Candidacies::UserId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Candidacies::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
    CandidacyId,
    Purpose,
    OriginalName,
    Sha256,
    Size,
    Accepted,
    Report,
    CreatedAt,
    Signature,
}

/// Files uploaded for a candidacy: the filled template (and, later, attachments).
/// The bytes live under `data/uploads/<sha256>`; the row says what they are.
struct CreateDocuments;

impl MigrationName for CreateDocuments {
    fn name(&self) -> &str {
        "m20261122_000004_create_documents"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateDocuments {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Documents::Table)
                .col(big_pk_auto(Documents::Id))
                .col(big_integer(Documents::CandidacyId))
                .col(string_len(Documents::Purpose, 30))
                .col(string_len(Documents::OriginalName, 255))
                .col(string_len(Documents::Sha256, 64))
                .col(big_integer(Documents::Size))
                .col(boolean(Documents::Accepted))
                .col(text(Documents::Report))
                .col(timestamp_with_time_zone(Documents::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Documents::Table, Documents::CandidacyId)
                        .to(Candidacies::Table, Candidacies::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Documents::Table).to_owned())
            .await
    }
}

/// The verdict on a signed form's signature (valid, invalid, signer_mismatch,
/// not_verifiable, handwritten); empty for other documents.
pub struct AddDocumentSignature;

impl MigrationName for AddDocumentSignature {
    fn name(&self) -> &str {
        "m20261122_000005_add_document_signature"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for AddDocumentSignature {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Documents::Table)
                .add_column(string_len_null(Documents::Signature, 20))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Documents::Table)
                .drop_column(Documents::Signature)
                .to_owned(),
        )
        .await
    }
}

/// Submission: a candidacy's reference and instant, the record of every status
/// change (who, when, why), and an optional file attached to an email (the receipt).
pub struct Submission;

impl MigrationName for Submission {
    fn name(&self) -> &str {
        "m20261122_000006_submission"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Submission {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        m.alter_table(
            Table::alter()
                .table(Candidacies::Table)
                .add_column(string_len_null(Candidacies::Reference, 20))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Candidacies::Table)
                .add_column(timestamp_with_time_zone_null(Candidacies::SubmittedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("candidacies_reference")
                .table(Candidacies::Table)
                .col(Candidacies::Reference)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CandidacyEvents::Table)
                .col(big_pk_auto(CandidacyEvents::Id))
                .col(big_integer(CandidacyEvents::CandidacyId))
                .col(timestamp_with_time_zone(CandidacyEvents::At))
                .col(big_integer(CandidacyEvents::ActorId))
                .col(string_len(CandidacyEvents::FromStatus, 30))
                .col(string_len(CandidacyEvents::ToStatus, 30))
                .col(text(CandidacyEvents::Note))
                .foreign_key(
                    ForeignKey::create()
                        .from(CandidacyEvents::Table, CandidacyEvents::CandidacyId)
                        .to(Candidacies::Table, Candidacies::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        for column in [Outbox::AttachmentName, Outbox::AttachmentPath] {
            m.alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(string_len_null(column, 255))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Outbox::AttachmentName, Outbox::AttachmentPath] {
            m.alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(CandidacyEvents::Table).to_owned())
            .await?;
        m.drop_index(
            Index::drop()
                .name("candidacies_reference")
                .table(Candidacies::Table)
                .to_owned(),
        )
        .await?;
        for column in [Candidacies::SubmittedAt, Candidacies::Reference] {
            m.alter_table(
                Table::alter()
                    .table(Candidacies::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

/// Owners a delegate files candidacies for (form C), saved for the next
/// candidacy; a candidacy filed for one of them points to it.
pub struct CreateOwners;

impl MigrationName for CreateOwners {
    fn name(&self) -> &str {
        "m20261122_000007_create_owners"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateOwners {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Owners::Table)
                .col(big_pk_auto(Owners::Id))
                .col(big_integer(Owners::DelegateId))
                .col(string_len(Owners::SubjectType, 20))
                .col(string_len_null(Owners::OrgType, 20))
                .col(string_len(Owners::Name, 200))
                .col(string_len(Owners::TaxCode, 16))
                .col(string_len_null(Owners::VatNumber, 11))
                .col(string_len_null(Owners::LegalRep, 200))
                .col(string_len(Owners::Address, 200))
                .col(string_len(Owners::Postcode, 5))
                .col(string_len(Owners::City, 200))
                .col(string_len(Owners::Email, 254))
                .col(string_len_null(Owners::Pec, 254))
                .col(string_len(Owners::Phone, 40))
                .col(string_len(Owners::PropertyRole, 30))
                .col(boolean(Owners::ReadAccess))
                .col(timestamp_with_time_zone(Owners::CreatedAt))
                .col(timestamp_with_time_zone(Owners::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Owners::Table, Owners::DelegateId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("owners_email")
                .table(Owners::Table)
                .col(Owners::Email)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Candidacies::Table)
                .add_column(big_integer_null(Candidacies::OwnerId))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Candidacies::Table)
                .drop_column(Candidacies::OwnerId)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(Owners::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Reminders {
    Table,
    Id,
    UserId,
    DaysBefore,
    SentAt,
}

/// Deadline reminders already sent: one row per proponent and threshold; the
/// unique index makes two instances send each reminder once.
pub struct CreateReminders;

impl MigrationName for CreateReminders {
    fn name(&self) -> &str {
        "m20261122_000008_create_reminders"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateReminders {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Reminders::Table)
                .col(big_pk_auto(Reminders::Id))
                .col(big_integer(Reminders::UserId))
                .col(integer(Reminders::DaysBefore))
                .col(timestamp_with_time_zone(Reminders::SentAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Reminders::Table, Reminders::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("reminders_once")
                .table(Reminders::Table)
                .col(Reminders::UserId)
                .col(Reminders::DaysBefore)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Reminders::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum LegalRep {
    LegalRepTaxCode,
}

/// The legal representative's codice fiscale, for organisations: their digital
/// signature is then recognised by tax code, not by name alone.
pub struct AddLegalRepTaxCode;

impl MigrationName for AddLegalRepTaxCode {
    fn name(&self) -> &str {
        "m20261122_000009_add_legal_rep_tax_code"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for AddLegalRepTaxCode {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [Profiles::Table.into_iden(), Owners::Table.into_iden()] {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .add_column(string_len_null(LegalRep::LegalRepTaxCode, 16))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [Profiles::Table.into_iden(), Owners::Table.into_iden()] {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .drop_column(LegalRep::LegalRepTaxCode)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Frozen {
    SubmittedParties,
    SignedFor,
    Template,
}

/// Who a submission named, frozen with it (`candidacies.submitted_parties`,
/// JSON), so later edits of a shared owner or of a profile do not change what
/// was submitted; whose details a signed form was judged against
/// (`documents.signed_for`), so a form signed before the owner changed no
/// longer counts; which template an email was made from (`outbox.template`),
/// so a one-time link is wiped from the record once delivered.
pub struct Integrity;

impl MigrationName for Integrity {
    fn name(&self) -> &str {
        "m20261123_000010_integrity"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Integrity {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Candidacies::Table)
                .add_column(text_null(Frozen::SubmittedParties))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Documents::Table)
                .add_column(string_len_null(Frozen::SignedFor, 200))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .add_column(string_len(Frozen::Template, 64).default(""))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Candidacies::Table)
                .drop_column(Frozen::SubmittedParties)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Documents::Table)
                .drop_column(Frozen::SignedFor)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .drop_column(Frozen::Template)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Reader {
    SubmittedReaderEmail,
}

/// The email of the owner given read access, frozen with the submission and
/// indexed: the owner finds what was submitted for them by it, whatever the
/// delegate's saved owner says later.
pub struct FrozenReader;

impl MigrationName for FrozenReader {
    fn name(&self) -> &str {
        "m20261123_000011_frozen_reader"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for FrozenReader {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Candidacies::Table)
                .add_column(string_len_null(Reader::SubmittedReaderEmail, 254))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_candidacies_submitted_reader_email")
                .table(Candidacies::Table)
                .col(Reader::SubmittedReaderEmail)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_candidacies_submitted_reader_email")
                .table(Candidacies::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Candidacies::Table)
                .drop_column(Reader::SubmittedReaderEmail)
                .to_owned(),
        )
        .await
    }
}

/// Room for every status name: "integration_requested" is 21 characters, one
/// more than the column first allowed (PostgreSQL refused it; SQLite does not
/// enforce lengths, so only PostgreSQL needs the change).
pub struct LongerStatus;

impl MigrationName for LongerStatus {
    fn name(&self) -> &str {
        "m20261124_000012_longer_status"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for LongerStatus {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        m.alter_table(
            Table::alter()
                .table(Candidacies::Table)
                .modify_column(string_len(Candidacies::Status, 32))
                .to_owned(),
        )
        .await
    }

    /// Left wider: narrowing would fail on any row already in
    /// "integration_requested", and a wider column harms nothing.
    async fn down(&self, _: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ReviewCols {
    AssignedTo,
    AssignedAt,
    ActorKind,
}

/// The back office: which officer has a candidacy in charge and since when,
/// and who (proponent, delegate, staff, admin, the clock) made each change of
/// the history. An index serves the review queue, which lists by status in
/// order of submission.
pub struct Review;

impl MigrationName for Review {
    fn name(&self) -> &str {
        "m20261124_000013_review"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Review {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds them one at a time.
        for column in [
            big_integer_null(ReviewCols::AssignedTo),
            timestamp_with_time_zone_null(ReviewCols::AssignedAt),
        ] {
            let mut column = column;
            m.alter_table(
                Table::alter()
                    .table(Candidacies::Table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(CandidacyEvents::Table)
                .add_column(string_len(ReviewCols::ActorKind, 16).default(""))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_candidacies_queue")
                .table(Candidacies::Table)
                .col(Candidacies::Status)
                .col(Candidacies::SubmittedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_candidacies_assigned_to")
                .table(Candidacies::Table)
                .col(ReviewCols::AssignedTo)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for index in ["idx_candidacies_queue", "idx_candidacies_assigned_to"] {
            m.drop_index(
                Index::drop()
                    .name(index)
                    .table(Candidacies::Table)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(CandidacyEvents::Table)
                .drop_column(ReviewCols::ActorKind)
                .to_owned(),
        )
        .await?;
        for column in [ReviewCols::AssignedAt, ReviewCols::AssignedTo] {
            m.alter_table(
                Table::alter()
                    .table(Candidacies::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum IntegrationRequests {
    Table,
    Id,
    CandidacyId,
    OfficerId,
    RequestedAt,
    DueAt,
    Message,
    Before,
    RepliedAt,
    RepliedBy,
    Reply,
    FirstReminderAt,
    LastReminderAt,
    ExpiredFlaggedAt,
}

#[derive(DeriveIden)]
enum IntegrationItems {
    Table,
    Id,
    RequestId,
    Item,
    Note,
}

#[derive(DeriveIden)]
enum Retired {
    RetiredAt,
}

/// Requests for integration (*soccorso istruttorio*): what the officer asked
/// to fix, item by item, by when, and the proponent's reply; the documents
/// the candidacy had when asked, so the officer can compare. A document that
/// a receipt listed is retired, never deleted, when the reply replaces it.
pub struct Integration;

impl MigrationName for Integration {
    fn name(&self) -> &str {
        "m20261124_000014_integration"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Integration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(IntegrationRequests::Table)
                .col(big_pk_auto(IntegrationRequests::Id))
                .col(big_integer(IntegrationRequests::CandidacyId))
                .col(big_integer(IntegrationRequests::OfficerId))
                .col(timestamp_with_time_zone(IntegrationRequests::RequestedAt))
                .col(timestamp_with_time_zone(IntegrationRequests::DueAt))
                .col(text(IntegrationRequests::Message).default(""))
                .col(text(IntegrationRequests::Before).default("{}"))
                .col(timestamp_with_time_zone_null(
                    IntegrationRequests::RepliedAt,
                ))
                .col(big_integer_null(IntegrationRequests::RepliedBy))
                .col(text(IntegrationRequests::Reply).default(""))
                .col(timestamp_with_time_zone_null(
                    IntegrationRequests::FirstReminderAt,
                ))
                .col(timestamp_with_time_zone_null(
                    IntegrationRequests::LastReminderAt,
                ))
                .col(timestamp_with_time_zone_null(
                    IntegrationRequests::ExpiredFlaggedAt,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(IntegrationRequests::Table, IntegrationRequests::CandidacyId)
                        .to(Candidacies::Table, Candidacies::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(IntegrationRequests::Table, IntegrationRequests::OfficerId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_integration_requests_candidacy")
                .table(IntegrationRequests::Table)
                .col(IntegrationRequests::CandidacyId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(IntegrationItems::Table)
                .col(big_pk_auto(IntegrationItems::Id))
                .col(big_integer(IntegrationItems::RequestId))
                .col(string_len(IntegrationItems::Item, 80))
                .col(text(IntegrationItems::Note).default(""))
                .foreign_key(
                    ForeignKey::create()
                        .from(IntegrationItems::Table, IntegrationItems::RequestId)
                        .to(IntegrationRequests::Table, IntegrationRequests::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("integration_items_once")
                .table(IntegrationItems::Table)
                .col(IntegrationItems::RequestId)
                .col(IntegrationItems::Item)
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Documents::Table)
                .add_column(timestamp_with_time_zone_null(Retired::RetiredAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Documents::Table)
                .drop_column(Retired::RetiredAt)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(IntegrationItems::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(IntegrationRequests::Table).to_owned())
            .await
    }
}

/// One open request for integration per candidacy, kept by the database
/// too: the status move already makes a second impossible, this makes it
/// impossible whatever the code does. A partial index, in the same SQL for
/// SQLite and PostgreSQL.
pub struct OneOpenRequest;

impl MigrationName for OneOpenRequest {
    fn name(&self) -> &str {
        "m20261125_000015_one_open_request"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for OneOpenRequest {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // Requests left open by a withdrawal before withdrawals closed them:
        // closed without a reply (no `replied_by`), as a withdrawal now does.
        db.execute_unprepared(
            "UPDATE integration_requests SET replied_at = requested_at \
             WHERE replied_at IS NULL AND candidacy_id IN \
             (SELECT id FROM candidacies WHERE status <> 'integration_requested')",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX integration_requests_one_open \
             ON integration_requests (candidacy_id) WHERE replied_at IS NULL",
        )
        .await
        .map(|_| ())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("integration_requests_one_open")
                .table(IntegrationRequests::Table)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Publications {
    Table,
    Id,
    CandidacyId,
    Version,
    PublishedAt,
    PublishedBy,
    Snapshot,
    EndedAt,
    EndedBy,
    EndReason,
}

/// Publications: each version of a candidacy the catalogue shows, frozen
/// when published, online until ended. At most one online per candidacy
/// (a partial index), and one row per version.
pub struct PublishedVersions;

impl MigrationName for PublishedVersions {
    fn name(&self) -> &str {
        "m20261125_000016_publications"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for PublishedVersions {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Publications::Table)
                .col(big_pk_auto(Publications::Id))
                .col(big_integer(Publications::CandidacyId))
                .col(integer(Publications::Version))
                .col(timestamp_with_time_zone(Publications::PublishedAt))
                .col(big_integer(Publications::PublishedBy))
                .col(text(Publications::Snapshot))
                .col(timestamp_with_time_zone_null(Publications::EndedAt))
                .col(big_integer_null(Publications::EndedBy))
                .col(text(Publications::EndReason).default(""))
                .foreign_key(
                    ForeignKey::create()
                        .from(Publications::Table, Publications::CandidacyId)
                        .to(Candidacies::Table, Candidacies::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Publications::Table, Publications::PublishedBy)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("publications_version_once")
                .table(Publications::Table)
                .col(Publications::CandidacyId)
                .col(Publications::Version)
                .unique()
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX publications_one_online \
                 ON publications (candidacy_id) WHERE ended_at IS NULL",
            )
            .await
            .map(|_| ())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Publications::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CandidacyValues {
    Table,
    CandidacyId,
    Values,
}

/// The template's values as validated, frozen with each submission, so
/// exports of thousands of candidacies read a table, not thousands of
/// files; apart from `candidacies`, whose rows the queue scans.
pub struct SubmittedValues;

impl MigrationName for SubmittedValues {
    fn name(&self) -> &str {
        "m20261125_000017_submitted_values"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for SubmittedValues {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CandidacyValues::Table)
                .col(big_integer(CandidacyValues::CandidacyId).primary_key())
                .col(text(CandidacyValues::Values))
                .foreign_key(
                    ForeignKey::create()
                        .from(CandidacyValues::Table, CandidacyValues::CandidacyId)
                        .to(Candidacies::Table, Candidacies::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CandidacyValues::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum InternalNotes {
    Table,
    Id,
    CandidacyId,
    AuthorId,
    At,
    Text,
}

/// Officers' notes on a candidacy, for staff only.
pub struct AddInternalNotes;

impl MigrationName for AddInternalNotes {
    fn name(&self) -> &str {
        "m20261125_000018_internal_notes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for AddInternalNotes {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(InternalNotes::Table)
                .col(big_pk_auto(InternalNotes::Id))
                .col(big_integer(InternalNotes::CandidacyId))
                .col(big_integer(InternalNotes::AuthorId))
                .col(timestamp_with_time_zone(InternalNotes::At))
                .col(text(InternalNotes::Text))
                .foreign_key(
                    ForeignKey::create()
                        .from(InternalNotes::Table, InternalNotes::CandidacyId)
                        .to(Candidacies::Table, Candidacies::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(InternalNotes::Table, InternalNotes::AuthorId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_internal_notes_candidacy")
                .table(InternalNotes::Table)
                .col(InternalNotes::CandidacyId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(InternalNotes::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Seq,
    At,
    ActorId,
    ActorKind,
    CandidacyId,
    Action,
    Subject,
    OldValue,
    NewValue,
    Note,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}

/// The audit log: append-only lines chained by hash, and the head row that
/// serialises appends. The database itself refuses to change or delete a
/// line, whatever the application does.
pub struct AddAuditLog;

impl MigrationName for AddAuditLog {
    fn name(&self) -> &str {
        "m20261126_000019_audit_log"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for AddAuditLog {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(big_integer(AuditLog::Seq).primary_key())
                .col(timestamp_with_time_zone(AuditLog::At))
                .col(big_integer_null(AuditLog::ActorId))
                .col(string_len(AuditLog::ActorKind, 16))
                .col(big_integer_null(AuditLog::CandidacyId))
                .col(string_len(AuditLog::Action, 32))
                .col(text(AuditLog::Subject))
                .col(text(AuditLog::OldValue))
                .col(text(AuditLog::NewValue))
                .col(text(AuditLog::Note))
                .col(string_len(AuditLog::Hash, 64))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_audit_log_candidacy")
                .table(AuditLog::Table)
                .col(AuditLog::CandidacyId)
                .col(AuditLog::Seq)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuditHead::Table)
                .col(integer(AuditHead::Id).primary_key())
                .col(big_integer(AuditHead::Seq))
                .col(string_len(AuditHead::Hash, 64))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '{}')",
            "0".repeat(64)
        ))
        .await?;
        let statements: &[&str] = match m.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => &[
                "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
                "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log \
                 FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
                "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log \
                 FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
            ],
            _ => &[
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log \
                 BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
                 BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
            ],
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AuditHead::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await?;
        if m.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            m.get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS audit_log_append_only()")
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum SecondFactor {
    TotpSecret,
    TotpConfirmedAt,
    TotpLastStep,
    DeactivatedAt,
    VerifiedAt,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    UsedAt,
}

/// Staff accounts' second factor: a TOTP secret (confirmed once the first
/// code is typed), the last step used (a code works once), recovery codes
/// (hashed, each used once), the session's second factor, and accounts an
/// administrator deactivated.
pub struct StaffSecondFactor;

impl MigrationName for StaffSecondFactor {
    fn name(&self) -> &str {
        "m20261126_000020_staff_second_factor"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for StaffSecondFactor {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        for column in [
            string_len_null(SecondFactor::TotpSecret, 64),
            timestamp_with_time_zone_null(SecondFactor::TotpConfirmedAt),
            big_integer_null(SecondFactor::TotpLastStep),
            timestamp_with_time_zone_null(SecondFactor::DeactivatedAt),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Sessions::Table)
                .add_column(timestamp_with_time_zone_null(SecondFactor::VerifiedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RecoveryCodes::Table)
                .col(big_pk_auto(RecoveryCodes::Id))
                .col(big_integer(RecoveryCodes::UserId))
                .col(string_len(RecoveryCodes::CodeHash, 64))
                .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RecoveryCodes::Table, RecoveryCodes::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_recovery_codes_user")
                .table(RecoveryCodes::Table)
                .col(RecoveryCodes::UserId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RecoveryCodes::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Sessions::Table)
                .drop_column(SecondFactor::VerifiedAt)
                .to_owned(),
        )
        .await?;
        for column in [
            SecondFactor::TotpSecret,
            SecondFactor::TotpConfirmedAt,
            SecondFactor::TotpLastStep,
            SecondFactor::DeactivatedAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum CatalogueState {
    Table,
    Id,
    Generation,
}

/// One row whose number grows with every change to what is online (a
/// version published or ended), in the transaction that makes it: each
/// instance serving the catalogue compares it with the one its index was
/// built at and rebuilds when they differ.
pub struct CatalogueGeneration;

impl MigrationName for CatalogueGeneration {
    fn name(&self) -> &str {
        "m20261127_000021_catalogue_generation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CatalogueGeneration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CatalogueState::Table)
                .col(integer(CatalogueState::Id).primary_key())
                .col(big_integer(CatalogueState::Generation).default(0))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared("INSERT INTO catalogue_state (id, generation) VALUES (1, 0)")
            .await
            .map(|_| ())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CatalogueState::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SavedSearches {
    Table,
    Id,
    UserId,
    Name,
    Query,
    Token,
    SeenPublication,
    CreatedAt,
    LastSentAt,
}

#[derive(DeriveIden)]
enum SavedSearchSites {
    Table,
    SavedSearchId,
    CandidacyId,
    ToldAt,
}

/// An investor's saved searches of the catalogue, the sites each was told
/// about (once each, under a unique key), and the one-click unsubscribe
/// address an email may carry in its headers.
pub struct AddSavedSearches;

impl MigrationName for AddSavedSearches {
    fn name(&self) -> &str {
        "m20261207_000022_saved_searches"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for AddSavedSearches {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use SavedSearches as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(big_pk_auto(S::Id))
                .col(big_integer(S::UserId))
                .col(string_len(S::Name, 200))
                .col(text(S::Query))
                .col(string_len(S::Token, 64).unique_key())
                .col(big_integer(S::SeenPublication))
                .col(timestamp_with_time_zone(S::CreatedAt))
                .col(timestamp_with_time_zone_null(S::LastSentAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(S::Table, S::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_saved_searches_user")
                .table(S::Table)
                .col(S::UserId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SavedSearchSites::Table)
                .col(big_integer(SavedSearchSites::SavedSearchId))
                .col(big_integer(SavedSearchSites::CandidacyId))
                .col(timestamp_with_time_zone(SavedSearchSites::ToldAt))
                .primary_key(
                    Index::create()
                        .col(SavedSearchSites::SavedSearchId)
                        .col(SavedSearchSites::CandidacyId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(SavedSearchSites::Table, SavedSearchSites::SavedSearchId)
                        .to(S::Table, S::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .add_column(text_null(Outbox::Unsubscribe))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .drop_column(Outbox::Unsubscribe)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(SavedSearchSites::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(SavedSearches::Table).to_owned())
            .await
    }
}
