//! Dockerfile rules. To add one: write `<what_it_checks>.rs` with its
//! `RuleMeta` (documentation included) and `Rule` impl, add it below, and add
//! `corpus/rules/<CODE>.Dockerfile` with cases that must and must not fire.

use crate::engine::Rule;

mod apt_no_install_recommends;
mod avoid_latest_tag;
mod consolidate_runs;
mod copy_from_known_stage;
mod copy_instead_of_add;
mod delete_apt_lists;
mod exec_form_single_quotes;
mod expose_invalid_format;
mod expose_invalid_protocol;
mod from_as_casing;
mod json_args_recommended;
mod last_user_not_root;
mod maintainer_deprecated;
mod no_sudo;
mod pin_apt_get_versions;
mod pipefail_before_pipe;
mod secrets_in_arg_or_env;
mod single_cmd;
mod single_entrypoint;
mod stage_name_casing;
mod tag_image_version;
mod undefined_var;
mod unique_stage_names;
mod use_workdir;
mod workdir_absolute_path;

pub static RULES: &[&dyn Rule] = &[
    &pin_apt_get_versions::PinAptGetVersions,
    &copy_instead_of_add::CopyInsteadOfAdd,
    &workdir_absolute_path::WorkdirAbsolutePath,
    &last_user_not_root::LastUserNotRoot,
    &tag_image_version::TagImageVersion,
    &avoid_latest_tag::AvoidLatestTag,
    &copy_from_known_stage::CopyFromKnownStage,
    &unique_stage_names::UniqueStageNames,
    &json_args_recommended::JsonArgsRecommended,
    &maintainer_deprecated::MaintainerDeprecated,
    &single_cmd::SingleCmd,
    &single_entrypoint::SingleEntrypoint,
    &stage_name_casing::StageNameCasing,
    &from_as_casing::FromAsCasing,
    &expose_invalid_format::ExposeInvalidFormat,
    &expose_invalid_protocol::ExposeInvalidProtocol,
    &exec_form_single_quotes::ExecFormSingleQuotes,
    &use_workdir::UseWorkdir,
    &no_sudo::NoSudo,
    &delete_apt_lists::DeleteAptLists,
    &apt_no_install_recommends::AptNoInstallRecommends,
    &consolidate_runs::ConsolidateRuns,
    &pipefail_before_pipe::PipefailBeforePipe,
    &undefined_var::UndefinedVar,
    &secrets_in_arg_or_env::SecretsInArgOrEnv,
];
