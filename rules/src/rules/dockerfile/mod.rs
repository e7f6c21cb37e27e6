//! Dockerfile rules. To add one: write `<what_it_checks>.rs` with its
//! `RuleMeta` (documentation included) and `Rule` impl, add it below, and add
//! `corpus/rules/<CODE>.Dockerfile` with cases that must and must not fire.

use crate::engine::Rule;
mod consistent_instruction_casing;
mod copy_ignored_file;
pub mod dockerignore;
mod duplicate_flag;
mod expose_proto_casing;
mod from_platform_flag_const;
pub mod instruction_spec;
mod invalid_default_arg_in_from;
mod invalid_definition_description;
mod invalid_expose_port;
mod invalid_flag_value;
mod invalid_image_reference;
mod invalid_key_value;
mod invalid_stage_name;
mod invalid_stop_signal;
mod legacy_key_value_format;
mod malformed_package_version;
mod missing_from;
mod no_empty_continuation;
mod shell_not_json;
mod shell_syntax_error;
mod undefined_arg_in_from;
mod unknown_flag;
mod wrong_argument_count;

mod apk_no_cache;
mod apt_get_instead_of_apt;
mod apt_get_yes;
mod apt_no_install_recommends;
mod archives;
mod avoid_latest_tag;
mod base_image_missing_platform;
mod consolidate_runs;
mod copy_from_known_stage;
mod copy_from_other_platform;
mod copy_from_own_stage;
mod copy_instead_of_add;
mod copy_multiple_sources_dir;
mod copy_relative_without_workdir;
mod copy_whole_filesystem;
mod cuda_image_for_jetson;
mod delete_apt_lists;
mod deprecated_base_image;
mod dnf_clean_all;
mod dnf_yes;
mod either_wget_or_curl;
mod env_self_reference;
mod eol_base_image;
mod exec_form_single_quotes;
mod expose_invalid_format;
mod expose_invalid_protocol;
mod expose_port_range;
mod from_as_casing;
mod from_platform_flag;
mod from_platform_not_target;
mod gpu;
mod hard_coded_architecture;
mod healthcheck_missing;
mod inline_ignore_pragma;
mod instruction_before_from;
mod json_args_recommended;
mod label_email;
mod label_git_hash;
mod label_not_empty;
mod label_not_in_schema;
mod label_rfc3339;
mod label_semver;
mod label_spdx;
mod label_url;
mod labels;
mod last_user_not_root;
mod maintainer_deprecated;
mod missing_healthcheck;
mod model_download_without_cache;
mod moving_gpu_base_tag;
mod no_sudo;
mod no_zypper_dist_upgrade;
mod numeric_user;
mod onbuild_forbidden_trigger;
mod package_managers;
mod pin_apk_versions;
mod pin_apt_get_versions;
mod pin_dnf_versions;
mod pin_gem_versions;
mod pin_go_versions;
mod pin_npm_versions;
mod pin_pip_versions;
mod pin_yum_versions;
mod pin_zypper_versions;
mod pip_cache_in_gpu_image;
mod pip_no_cache_dir;
mod pipe_to_shell;
mod pipefail_before_pipe;
mod pointless_command_in_run;
mod redundant_target_platform;
mod required_label;
mod reserved_stage_name;
mod secret_file_copied;
mod secrets_in_arg_or_env;
mod single_cmd;
mod single_entrypoint;
mod single_healthcheck;
mod sources;
mod stage_name_casing;
mod tag_image_version;
mod tls_verification_disabled;
mod trusted_registry;
mod undefined_var;
mod unique_stage_names;
pub(crate) mod unused_ignore;
mod use_add_to_extract;
mod use_shell_instead_of_ln;
mod use_workdir;
mod useradd_no_log_init;
mod valid_label_key;
mod wget_progress;
mod workdir_absolute_path;
mod yarn_cache_clean;
mod yum_clean_all;
mod yum_yes;
mod zypper_clean;
mod zypper_non_interactive;

// Registry lookups (`--online`): facts handed in by the front end.
mod image_platform_missing;
mod image_tag_not_found;
mod pinned_digest_not_found;
pub(crate) mod registry;
mod stale_digest_pin;
mod unpinned_base_image;

pub static RULES: &[&dyn Rule] = &[
    &shell_syntax_error::ShellSyntaxError,
    &stage_name_casing::StageNameCasing,
    &from_as_casing::FromAsCasing,
    &undefined_var::UndefinedVar,
    &expose_invalid_format::ExposeInvalidFormat,
    &expose_invalid_protocol::ExposeInvalidProtocol,
    &exec_form_single_quotes::ExecFormSingleQuotes,
    &no_empty_continuation::NoEmptyContinuation,
    &consistent_instruction_casing::ConsistentInstructionCasing,
    &undefined_arg_in_from::UndefinedArgInFrom,
    &legacy_key_value_format::LegacyKeyValueFormat,
    &invalid_default_arg_in_from::InvalidDefaultArgInFrom,
    &from_platform_flag_const::FromPlatformFlagConst,
    &expose_proto_casing::ExposeProtoCasing,
    &invalid_definition_description::InvalidDefinitionDescription,
    &copy_ignored_file::CopyIgnoredFile,
    &unused_ignore::UnusedIgnore,
    &unknown_flag::UnknownFlag,
    &duplicate_flag::DuplicateFlag,
    &invalid_flag_value::InvalidFlagValue,
    &wrong_argument_count::WrongArgumentCount,
    &invalid_image_reference::InvalidImageReference,
    &invalid_expose_port::InvalidExposePort,
    &invalid_stop_signal::InvalidStopSignal,
    &shell_not_json::ShellNotJson,
    &invalid_key_value::InvalidKeyValue,
    &missing_from::MissingFrom,
    &invalid_stage_name::InvalidStageName,
    &malformed_package_version::MalformedPackageVersion,
    &tls_verification_disabled::TlsVerificationDisabled,
    &pipe_to_shell::PipeToShell,
    &secret_file_copied::SecretFileCopied,
    &pip_cache_in_gpu_image::PipCacheInGpuImage,
    &model_download_without_cache::ModelDownloadWithoutCache,
    &moving_gpu_base_tag::MovingGpuBaseTag,
    &missing_healthcheck::MissingHealthcheck,
    &eol_base_image::EolBaseImage,
    &deprecated_base_image::DeprecatedBaseImage,
    &hard_coded_architecture::HardCodedArchitecture,
    &base_image_missing_platform::BaseImageMissingPlatform,
    &cuda_image_for_jetson::CudaImageForJetson,
    &from_platform_not_target::FromPlatformNotTarget,
    &copy_from_other_platform::CopyFromOtherPlatform,
    &image_tag_not_found::ImageTagNotFound,
    &image_platform_missing::ImagePlatformMissing,
    &pinned_digest_not_found::PinnedDigestNotFound,
    &unpinned_base_image::UnpinnedBaseImage,
    &stale_digest_pin::StaleDigestPin,
    &inline_ignore_pragma::InlineIgnorePragma,
    &workdir_absolute_path::WorkdirAbsolutePath,
    &pointless_command_in_run::PointlessCommandInRun,
    &last_user_not_root::LastUserNotRoot,
    &use_workdir::UseWorkdir,
    &no_sudo::NoSudo,
    &tag_image_version::TagImageVersion,
    &avoid_latest_tag::AvoidLatestTag,
    &pin_apt_get_versions::PinAptGetVersions,
    &delete_apt_lists::DeleteAptLists,
    &use_add_to_extract::UseAddToExtract,
    &expose_port_range::ExposePortRange,
    &single_healthcheck::SingleHealthcheck,
    &pin_pip_versions::PinPipVersions,
    &apt_get_yes::AptGetYes,
    &apt_no_install_recommends::AptNoInstallRecommends,
    &pin_npm_versions::PinNpmVersions,
    &pin_apk_versions::PinApkVersions,
    &apk_no_cache::ApkNoCache,
    &copy_instead_of_add::CopyInsteadOfAdd,
    &copy_multiple_sources_dir::CopyMultipleSourcesDir,
    &copy_from_known_stage::CopyFromKnownStage,
    &copy_from_own_stage::CopyFromOwnStage,
    &unique_stage_names::UniqueStageNames,
    &json_args_recommended::JsonArgsRecommended,
    &trusted_registry::TrustedRegistry,
    &apt_get_instead_of_apt::AptGetInsteadOfApt,
    &pin_gem_versions::PinGemVersions,
    &from_platform_flag::FromPlatformFlag,
    &yum_yes::YumYes,
    &yum_clean_all::YumCleanAll,
    &pin_yum_versions::PinYumVersions,
    &zypper_non_interactive::ZypperNonInteractive,
    &no_zypper_dist_upgrade::NoZypperDistUpgrade,
    &zypper_clean::ZypperClean,
    &pin_zypper_versions::PinZypperVersions,
    &dnf_yes::DnfYes,
    &dnf_clean_all::DnfCleanAll,
    &pin_dnf_versions::PinDnfVersions,
    &pip_no_cache_dir::PipNoCacheDir,
    &onbuild_forbidden_trigger::OnbuildForbiddenTrigger,
    &env_self_reference::EnvSelfReference,
    &copy_relative_without_workdir::CopyRelativeWithoutWorkdir,
    &useradd_no_log_init::UseraddNoLogInit,
    &wget_progress::WgetProgress,
    &valid_label_key::ValidLabelKey,
    &required_label::RequiredLabel,
    &label_not_in_schema::LabelNotInSchema,
    &label_not_empty::LabelNotEmpty,
    &label_url::LabelUrl,
    &label_rfc3339::LabelRfc3339,
    &label_spdx::LabelSpdx,
    &label_git_hash::LabelGitHash,
    &label_semver::LabelSemver,
    &healthcheck_missing::HealthcheckMissing,
    &label_email::LabelEmail,
    &consolidate_runs::ConsolidateRuns,
    &yarn_cache_clean::YarnCacheClean,
    &instruction_before_from::InstructionBeforeFrom,
    &pin_go_versions::PinGoVersions,
    &reserved_stage_name::ReservedStageName,
    &secrets_in_arg_or_env::SecretsInArgOrEnv,
    &redundant_target_platform::RedundantTargetPlatform,
    &numeric_user::NumericUser,
    &copy_whole_filesystem::CopyWholeFilesystem,
    &maintainer_deprecated::MaintainerDeprecated,
    &either_wget_or_curl::EitherWgetOrCurl,
    &single_cmd::SingleCmd,
    &single_entrypoint::SingleEntrypoint,
    &use_shell_instead_of_ln::UseShellInsteadOfLn,
    &pipefail_before_pipe::PipefailBeforePipe,
];
