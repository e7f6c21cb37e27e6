//! What makes builds fail: one entry per cause, each with the log text that
//! shows it, an explanation, concrete fixes and sources. Entries are tried in
//! order (the specific before the general); `{command}`, `{path}`,
//! `{package}`, `{library}`, `{code}`, `{user}` and `{stage}` in titles and
//! fixes are filled from the log and the Dockerfile.

use berth_rules::syntax::Keyword;

/// What is known about a failure, gathered from the log and the Dockerfile.
#[derive(Debug, Default, Clone)]
pub struct Facts {
    /// The failure's text (the failing step's output and error, the final error), lowercased.
    pub text: Vec<String>,
    /// The failing instruction.
    pub keyword: Option<Keyword>,
    pub exit_code: Option<i32>,
    /// The user in force at the failing instruction, when a `USER` other than root set it.
    pub user: Option<String>,
    /// `COPY --from=<stage>`: the stage or image named.
    pub from: Option<String>,
    /// A missing source, as the builder names it.
    pub path: Option<String>,
    /// The `.dockerignore` pattern that excludes `path` (`line: pattern`).
    pub ignored_by: Option<String>,
    pub command: Option<String>,
    pub package: Option<String>,
    pub library: Option<String>,
    /// The failing instruction runs more than one command joined by a pipe.
    pub has_pipe: bool,
}

impl Facts {
    fn has(&self, pattern: &str) -> bool {
        self.text.iter().any(|l| l.contains(pattern))
    }

    pub fn fill(&self, template: &str) -> String {
        let mut s = template.to_string();
        let pairs = [
            ("{command}", self.command.as_deref()),
            ("{path}", self.path.as_deref()),
            ("{package}", self.package.as_deref()),
            ("{library}", self.library.as_deref()),
            ("{user}", self.user.as_deref()),
            ("{stage}", self.from.as_deref()),
            ("{ignored_by}", self.ignored_by.as_deref()),
        ];
        for (k, v) in pairs {
            let unknown = match k {
                "{command}" => "the command",
                "{path}" => "the source",
                "{package}" => "the package",
                "{library}" => "a library",
                "{user}" => "the user",
                "{stage}" => "the stage",
                _ => "a pattern",
            };
            s = s.replace(k, v.unwrap_or(unknown));
        }
        s.replace("{code}", &self.exit_code.map_or_else(|| "non-zero".to_string(), |c| c.to_string()))
    }
}

pub struct Entry {
    /// Stable identifier (the `cause` of a diagnosis).
    pub cause: &'static str,
    /// One line; may use placeholders.
    pub title: &'static str,
    /// Lowercase substrings of the failure text; any one matches. Empty: `applies` alone decides.
    pub patterns: &'static [&'static str],
    /// A further condition on the facts.
    pub applies: fn(&Facts) -> bool,
    pub explanation: &'static str,
    pub fixes: &'static [&'static str],
    /// berth rules whose findings, anywhere in the Dockerfile, bear on this cause.
    pub related_rules: &'static [&'static str],
    pub sources: &'static [&'static str],
}

impl Entry {
    pub fn matches(&self, f: &Facts) -> bool {
        (self.patterns.is_empty() || self.patterns.iter().any(|p| f.has(p))) && (self.applies)(f)
    }
}

fn any(_: &Facts) -> bool {
    true
}
fn is_copy(f: &Facts) -> bool {
    matches!(f.keyword, Some(Keyword::Copy | Keyword::Add))
}
fn copy_from_context(f: &Facts) -> bool {
    is_copy(f) && f.from.is_none() && f.ignored_by.is_none()
}
fn copy_ignored(f: &Facts) -> bool {
    is_copy(f) && f.from.is_none() && f.ignored_by.is_some()
}
fn copy_from_stage(f: &Facts) -> bool {
    is_copy(f) && f.from.is_some()
}
fn not_copy(f: &Facts) -> bool {
    !is_copy(f)
}
fn command_not_found(f: &Facts) -> bool {
    matches!(f.keyword, None | Some(Keyword::Run)) && (f.exit_code == Some(127) || f.command.is_some())
}
fn as_user(f: &Facts) -> bool {
    f.user.is_some()
}
fn killed(f: &Facts) -> bool {
    f.exit_code == Some(137) || f.has("signal: killed")
}
fn failed_run(f: &Facts) -> bool {
    f.keyword == Some(Keyword::Run) || f.exit_code.is_some()
}

pub static ENTRIES: &[Entry] = &[
    Entry {
        cause: "copy-source-dockerignored",
        title: "COPY source `{path}` is excluded by .dockerignore ({ignored_by})",
        patterns: &["not found", "no such file", "filtered out using", "no items matching"],
        applies: copy_ignored,
        explanation: "The file exists in the folder, but the build context sent to the builder leaves out everything \
            .dockerignore matches, so COPY/ADD cannot see it.",
        fixes: &[
            "Remove or narrow the .dockerignore pattern {ignored_by}, or add an exception line `!{path}` after it.",
            "If the file must stay out of the context (a secret), pass it with `RUN --mount=type=secret,id=...` instead of copying it.",
        ],
        related_rules: &["BD1016", "BD3003"],
        sources: &["https://docs.docker.com/build/concepts/context/#dockerignore-files"],
    },
    Entry {
        cause: "copy-from-stage-missing-path",
        title: "`{path}` does not exist in stage or image `{stage}`",
        patterns: &["not found", "no such file or directory"],
        applies: copy_from_stage,
        explanation: "COPY --from copies from the filesystem that the named stage (or image) ends with. The path is \
            not there: the stage wrote its output elsewhere (another WORKDIR, a build folder with another name), the \
            step that produces it did not run, or --from names the wrong stage.",
        fixes: &[
            "Check where stage `{stage}` writes its output (its WORKDIR and build command) and copy that path; an absolute path avoids WORKDIR surprises.",
            "Add a `RUN ls -la <dir>` at the end of stage `{stage}` temporarily to see what it contains.",
            "If `{stage}` is meant to be a stage, check its spelling against the `FROM ... AS` names.",
        ],
        related_rules: &["DL3022", "DL3023"],
        sources: &[
            "https://docs.docker.com/build/building/multi-stage/",
            "https://docs.docker.com/reference/dockerfile/#copy---from",
        ],
    },
    Entry {
        cause: "copy-outside-context",
        title: "COPY source `{path}` is outside the build context",
        patterns: &["outside the build context", "forbidden path outside", "outside of the build context"],
        applies: is_copy,
        explanation: "COPY and ADD only see files inside the build context (the folder given to `docker build`). \
            Paths with `..` cannot reach the parent folder.",
        fixes: &[
            "Build from the parent folder: `docker build -f sub/Dockerfile .` and adjust the COPY paths.",
            "Or pass the other folder as a named context: `docker buildx build --build-context extra=../dir .` and `COPY --from=extra . /dest`.",
        ],
        related_rules: &[],
        sources: &["https://docs.docker.com/build/concepts/context/"],
    },
    Entry {
        cause: "copy-source-missing",
        title: "COPY source `{path}` is not in the build context",
        patterns: &[
            "failed to calculate checksum",
            "failed to compute cache key",
            "no such file or directory",
            "no items matching glob",
            "\": not found",
        ],
        applies: copy_from_context,
        explanation: "COPY/ADD sources are resolved relative to the build context (the folder passed to \
            `docker build`, not the Dockerfile's folder unless they are the same). The path does not exist there: a \
            typo, a file generated by a step that did not run, or the build started from another folder.",
        fixes: &[
            "Check that `{path}` exists relative to the build context folder (`ls` it from where you run `docker build`).",
            "If the Dockerfile is in a subfolder, run the build from the folder that holds `{path}` with `-f path/to/Dockerfile`.",
            "If the file is produced by a build step (npm run build, mvn package), build it in an earlier stage and use COPY --from.",
        ],
        related_rules: &["BD1016", "DL3021", "DL3045"],
        sources: &[
            "https://docs.docker.com/reference/dockerfile/#copy",
            "https://docs.docker.com/build/concepts/context/",
        ],
    },
    Entry {
        cause: "windows-line-endings",
        title: "The script has Windows (CRLF) line endings",
        patterns: &[
            "$'\\r': command not found",
            "\\r: not found",
            "bad interpreter: no such file or directory",
            "/bin/sh^m",
            "/bin/bash^m",
        ],
        applies: any,
        explanation: "A script copied from a Windows checkout keeps `\\r` at the end of each line; the shell reads \
            `\\r` as part of the command name or the interpreter path.",
        fixes: &[
            "Convert the script to LF line endings (`git config core.autocrlf input`, or a `.gitattributes` line `*.sh text eol=lf`).",
            "Or strip them in the build: `RUN sed -i 's/\\r$//' /path/to/script.sh`.",
        ],
        related_rules: &[],
        sources: &["https://git-scm.com/docs/gitattributes#_eol"],
    },
    Entry {
        cause: "exec-format-error",
        title: "A binary was built for another CPU architecture (exec format error)",
        patterns: &["exec format error"],
        applies: any,
        explanation: "The kernel cannot run the file: it is an executable for another architecture (an amd64 \
            binary on an arm64 machine such as Apple silicon or Graviton, or the reverse), or a script without a \
            `#!` line.",
        fixes: &[
            "Build for the platform you run on, or pin it: `docker build --platform linux/amd64 .` (emulated with QEMU: `docker run --privileged --rm tonistiigi/binfmt --install all`).",
            "Download the release asset for the build's architecture: use `ARG TARGETARCH` and pick the file from it.",
            "For a script, start it with a `#!/bin/sh` line.",
        ],
        related_rules: &["DL3029", "DL3065"],
        sources: &[
            "https://docs.docker.com/build/building/multi-platform/",
            "https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope",
        ],
    },
    Entry {
        cause: "no-space-left",
        title: "The builder ran out of disk space",
        patterns: &["no space left on device", "disk quota exceeded"],
        applies: any,
        explanation: "The builder's storage (Docker's data root, Docker Desktop's virtual disk, or a CI runner's \
            disk) is full. Large downloads, caches kept in layers and old images fill it.",
        fixes: &[
            "Free space: `docker builder prune` and `docker system prune` (check `docker system df` first).",
            "Keep caches out of layers: `RUN --mount=type=cache,target=/root/.cache/pip pip install ...`, or clean in the same RUN (`rm -rf /var/lib/apt/lists/*`).",
            "On Docker Desktop, increase the disk image size in Settings > Resources.",
        ],
        related_rules: &["DL3009", "DL3042", "DL3019", "BD3004", "BD3005"],
        sources: &[
            "https://docs.docker.com/reference/cli/docker/builder/prune/",
            "https://docs.docker.com/build/cache/optimize/",
        ],
    },
    Entry {
        cause: "out-of-memory",
        title: "The command was killed (exit code 137: out of memory)",
        patterns: &[],
        applies: killed,
        explanation: "Exit code 137 is SIGKILL; during a build it is almost always the kernel's out-of-memory killer \
            (compilers, webpack, pip builds of large packages).",
        fixes: &[
            "Give the builder more memory (Docker Desktop: Settings > Resources), or limit the tool's parallelism (`make -j2`, `NODE_OPTIONS=--max-old-space-size=2048`, `CARGO_BUILD_JOBS=2`).",
            "Install a prebuilt wheel or binary instead of compiling from source.",
        ],
        related_rules: &[],
        sources: &["https://docs.docker.com/engine/containers/resource_constraints/"],
    },
    Entry {
        cause: "libgl-missing-opencv",
        title: "libGL.so.1 is missing (OpenCV needs the system OpenGL library)",
        patterns: &["libgl.so.1: cannot open shared object file"],
        applies: any,
        explanation: "`opencv-python` links against system libraries that slim and minimal images do not ship \
            (libGL, libglib). Importing cv2 fails at the first step that uses it.",
        fixes: &[
            "Use the headless wheel, which needs no GUI libraries: `pip install opencv-python-headless` instead of `opencv-python`.",
            "Or install the libraries: `RUN apt-get update && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 && rm -rf /var/lib/apt/lists/*`.",
        ],
        related_rules: &[],
        sources: &["https://pypi.org/project/opencv-python-headless/"],
    },
    Entry {
        cause: "cuda-driver-mismatch",
        title: "CUDA is not usable during the build (no GPU driver, or a driver older than the CUDA version)",
        patterns: &[
            "cuda driver version is insufficient",
            "no cuda-capable device",
            "libcuda.so.1: cannot open shared object file",
            "found no nvidia driver",
            "nvidia-container-cli",
            "torch.cuda.is_available() false",
            "cuda error: no kernel image is available",
            "forward compatibility was attempted on non supported hw",
        ],
        applies: any,
        explanation: "Builds run without a GPU: `docker build` does not pass GPUs through, so a RUN that needs the \
            CUDA driver (a test, a model warm-up, a kernel compilation probing the device) fails. At run time, the \
            host driver must be at least as new as the image's CUDA version requires.",
        fixes: &[
            "Do not use the GPU in RUN steps: move GPU checks and warm-ups to the container's start (CMD/ENTRYPOINT).",
            "To compile CUDA code without a device, set the target architectures explicitly (`TORCH_CUDA_ARCH_LIST`, `CMAKE_CUDA_ARCHITECTURES`).",
            "Pick a base image whose CUDA version the host driver supports (`nvidia-smi` shows the highest), or update the driver.",
        ],
        related_rules: &["BD3006"],
        sources: &[
            "https://docs.nvidia.com/deploy/cuda-compatibility/",
            "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/",
        ],
    },
    Entry {
        cause: "shared-library-missing",
        title: "Shared library `{library}` is not installed",
        patterns: &["cannot open shared object file", "error while loading shared libraries"],
        applies: any,
        explanation: "A program or Python extension needs a system library that the base image does not ship. \
            Slim and Alpine images leave most libraries out; Alpine uses musl, so glibc binaries fail there.",
        fixes: &[
            "Install the package that provides `{library}` (Debian: `apt-file search {library}`; Alpine: `apk search so:{library}`).",
            "On Alpine, prefer a Debian-based (`-slim`) image for prebuilt glibc binaries and wheels.",
        ],
        related_rules: &[],
        sources: &["https://wiki.alpinelinux.org/wiki/Running_glibc_programs"],
    },
    Entry {
        cause: "apt-missing-yes",
        title: "apt-get asked for confirmation and aborted (no -y)",
        patterns: &["do you want to continue? [y/n] abort", "[y/n] abort."],
        applies: any,
        explanation: "A build has no terminal to answer prompts; apt-get reads end of input as \"no\" and aborts.",
        fixes: &["Add `-y` (`apt-get install -y ...`)."],
        related_rules: &["DL3014", "DL3030", "DL3038", "DL3034"],
        sources: &["https://manpages.debian.org/bookworm/apt/apt-get.8.en.html"],
    },
    Entry {
        cause: "apt-version-not-found",
        title: "The pinned package version is no longer in the archive",
        patterns: &["was not found", "version '"],
        applies: |f| f.has("version '") && f.has("was not found"),
        explanation: "Debian and Ubuntu archives keep only the current version of a package in a release; a pin \
            (`pkg=1.2.3-1`) breaks as soon as a security update replaces that version.",
        fixes: &[
            "Update the pin to the version `apt-cache policy <package>` shows in the same base image, and pin the base image by digest so both move together.",
            "Or pin only the base image (by digest) and leave the package unpinned.",
        ],
        related_rules: &["DL3008"],
        sources: &["https://docs.docker.com/build/building/best-practices/#apt-get"],
    },
    Entry {
        cause: "apt-unable-to-locate-package",
        title: "apt cannot find package `{package}`",
        patterns: &["unable to locate package", "has no installation candidate"],
        applies: any,
        explanation: "apt knows no package by that name: its package lists are missing (images ship without \
            them: `apt-get update` must run in the same RUN), stale (a cached `apt-get update` layer from long ago), \
            or the name is wrong for this distribution release.",
        fixes: &[
            "Run the update in the same RUN: `RUN apt-get update && apt-get install -y --no-install-recommends {package} && rm -rf /var/lib/apt/lists/*`.",
            "Check the name for this release (packages.debian.org / packages.ubuntu.com; e.g. `libgl1-mesa-glx` is `libgl1` since Debian 12).",
            "Rebuild without the stale cache: `docker build --no-cache`.",
        ],
        related_rules: &["DL3009", "DL3059"],
        sources: &["https://docs.docker.com/build/building/best-practices/#apt-get", "https://packages.debian.org/"],
    },
    Entry {
        cause: "apt-repository-gone",
        title: "The distribution release's package repository is gone or out of date (apt 404)",
        patterns: &[
            "404  not found",
            "404 not found",
            "does not have a release file",
            "no longer has a release file",
            "is not valid yet",
            "is no longer signed",
            "the following signatures couldn't be verified",
            "no_pubkey",
        ],
        applies: any,
        explanation: "The lists point at files that are not there: the release reached end of life and moved to \
            archive.debian.org / old-releases.ubuntu.com, the lists were fetched in an older cached layer, or the \
            clock or keys are wrong.",
        fixes: &[
            "Move to a supported release of the base image (e.g. Debian bookworm, Ubuntu 24.04).",
            "Always run `apt-get update` in the same RUN as `apt-get install`, and rebuild with `--no-cache` once.",
            "For an end-of-life release you must keep, point sources.list at archive.debian.org (Debian) or old-releases.ubuntu.com (Ubuntu).",
        ],
        related_rules: &["DL3006", "DL3007"],
        sources: &["https://www.debian.org/releases/", "https://wiki.debian.org/DebianReleases"],
    },
    Entry {
        cause: "apk-package-missing",
        title: "apk cannot find a package",
        patterns: &["unable to select packages", "(no such package)"],
        applies: any,
        explanation: "Alpine has no package by that name in the enabled repositories of this release (names differ \
            from Debian's; some live only in `community` or `testing`), or a pinned version has been replaced.",
        fixes: &[
            "Look the name up for this Alpine release on pkgs.alpinelinux.org.",
            "Pin loosely (`pkg~=1.2`) rather than to an exact revision, or not at all with a digest-pinned base.",
        ],
        related_rules: &["DL3018", "DL3019"],
        sources: &["https://pkgs.alpinelinux.org/packages", "https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper"],
    },
    Entry {
        cause: "pip-externally-managed",
        title: "pip refuses to install into the system Python (externally-managed-environment)",
        patterns: &["externally-managed-environment", "externally managed environment"],
        applies: any,
        explanation: "Since Debian 12, Ubuntu 23.04 and Alpine 3.19 the distribution's Python is marked as managed \
            by the package manager (PEP 668), and pip will not install into it.",
        fixes: &[
            "Use a virtual environment: `RUN python3 -m venv /opt/venv` then `ENV PATH=/opt/venv/bin:$PATH` before `pip install`.",
            "Or build on the official `python:3.x-slim` image, whose Python is not the distribution's.",
            "Or install the distribution package (`apt-get install -y python3-<name>`); `--break-system-packages` works but can break system tools.",
        ],
        related_rules: &["DL3013", "DL3042"],
        sources: &[
            "https://peps.python.org/pep-0668/",
            "https://packaging.python.org/en/latest/specifications/externally-managed-environments/",
        ],
    },
    Entry {
        cause: "pip-no-matching-distribution",
        title: "pip found no version of `{package}` for this Python and platform",
        patterns: &["no matching distribution found for", "could not find a version that satisfies the requirement"],
        applies: any,
        explanation: "The requirement names a version that does not exist, or has no wheel for this Python version \
            or platform (a new Python, arm64, musl/Alpine), or the index is unreachable.",
        fixes: &[
            "Check which versions exist for this Python (`pip index versions {package}`) and relax the pin.",
            "Use a base image with a Python version the package supports (e.g. `python:3.12-slim`), and a glibc (Debian) image rather than Alpine.",
        ],
        related_rules: &["DL3013"],
        sources: &["https://pip.pypa.io/en/stable/user_guide/#installing-packages"],
    },
    Entry {
        cause: "pip-build-failed",
        title: "A Python package had to be compiled and the build tools or headers are missing",
        patterns: &[
            "failed building wheel for",
            "python.h: no such file or directory",
            "error: command 'gcc' failed",
            "could not build wheels for",
            "subprocess-exited-with-error",
            "pg_config executable not found",
        ],
        applies: any,
        explanation: "No prebuilt wheel matched, so pip built from source, which needs a compiler and the headers \
            of Python and the libraries the package wraps. Slim and Alpine images have neither.",
        fixes: &[
            "Install the build tools in a builder stage: `apt-get install -y --no-install-recommends build-essential python3-dev` (plus `libpq-dev` etc. as the error names), and copy the result to the final stage.",
            "Prefer a Debian-based image and a package version that ships wheels for it (Alpine/musl often lacks them).",
        ],
        related_rules: &[],
        sources: &["https://packaging.python.org/en/latest/guides/installing-using-linux-tools/"],
    },
    Entry {
        cause: "npm-lockfile",
        title: "npm ci needs a package-lock.json that matches package.json",
        patterns: &[
            "can only install with an existing package-lock.json",
            "can only install packages when your package.json and package-lock.json",
            "your lockfile needs to be updated",
            "lockfile would have been modified",
            "err_pnpm_outdated_lockfile",
        ],
        applies: any,
        explanation: "`npm ci` (and `yarn --frozen-lockfile`, `pnpm --frozen-lockfile`) install exactly the lock \
            file. It is missing from the context (not copied, or .dockerignored) or out of date.",
        fixes: &[
            "Copy the lock file with package.json: `COPY package.json package-lock.json ./` before `RUN npm ci`.",
            "Regenerate and commit it: `npm install` locally, then rebuild.",
        ],
        related_rules: &["BD1016"],
        sources: &["https://docs.npmjs.com/cli/commands/npm-ci"],
    },
    Entry {
        cause: "node-gyp-build-tools",
        title: "A native npm module needs Python and a compiler (node-gyp)",
        patterns: &["gyp err!", "node-gyp"],
        applies: any,
        explanation: "A dependency compiles a native addon with node-gyp, which needs python3, make and a C++ \
            compiler; slim and Alpine node images lack them.",
        fixes: &[
            "Install them in a builder stage: `apt-get install -y python3 make g++` (Alpine: `apk add --no-cache python3 make g++`).",
            "Or use a dependency version that ships prebuilt binaries for this platform.",
        ],
        related_rules: &[],
        sources: &["https://github.com/nodejs/node-gyp#installation"],
    },
    Entry {
        cause: "image-not-found",
        title: "The base image or tag does not exist, or needs a login",
        patterns: &[
            "pull access denied",
            "manifest unknown",
            "repository does not exist",
            "failed to resolve source metadata",
            "not found: manifest",
            ": not found: not found",
            "manifest for ",
        ],
        applies: not_copy,
        explanation: "The registry has no such image or tag (a typo, a tag that was never published or has been \
            removed, an end-of-life tag), or it is private and the builder is not logged in. A `COPY --from` or \
            `FROM` name that is not a stage is read as an image name too.",
        fixes: &[
            "Check the tag on the registry (`docker buildx imagetools inspect <image:tag>`).",
            "For a private image, `docker login <registry>` first.",
            "If you meant a stage, check the `FROM ... AS` name (stage names are case-insensitive, and must be defined before use).",
        ],
        related_rules: &["DL3006", "DL3007", "DL3022", "BD2005", "BD1010", "BD1012", "BD3006"],
        sources: &[
            "https://docs.docker.com/reference/dockerfile/#from",
            "https://docs.docker.com/reference/cli/docker/login/",
        ],
    },
    Entry {
        cause: "platform-not-available",
        title: "The image has no variant for the build's platform",
        patterns: &[
            "no match for platform in manifest",
            "does not match the specified platform",
            "no matching manifest for",
        ],
        applies: any,
        explanation: "The base image is published for other architectures only (often amd64 only), and the build \
            targets another (arm64 on Apple silicon, or a multi-platform build).",
        fixes: &[
            "Build for a platform the image has: `--platform linux/amd64` (emulated), or `FROM --platform=$BUILDPLATFORM` for build-only stages.",
            "Choose a multi-architecture base image.",
        ],
        related_rules: &["DL3029", "DL3065"],
        sources: &["https://docs.docker.com/build/building/multi-platform/"],
    },
    Entry {
        cause: "registry-rate-limit",
        title: "The registry refused the pull (rate limit or authentication)",
        patterns: &[
            "toomanyrequests",
            "pull rate limit",
            "429 too many requests",
            "401 unauthorized",
            "unauthorized: authentication required",
        ],
        applies: any,
        explanation: "Docker Hub limits anonymous and free pulls per period; other registries need credentials.",
        fixes: &[
            "Log in (`docker login`), even with a free account, to raise the limit.",
            "Use a pull-through cache or mirror, or another registry that hosts the image.",
        ],
        related_rules: &[],
        sources: &["https://docs.docker.com/docker-hub/usage/"],
    },
    Entry {
        cause: "tls-certificate",
        title: "TLS certificate verification failed (proxy or missing CA certificates)",
        patterns: &[
            "certificate verify failed",
            "x509: certificate signed by unknown authority",
            "ssl certificate problem",
            "unable to get local issuer certificate",
            "self-signed certificate in certificate chain",
            "self signed certificate in certificate chain",
        ],
        applies: any,
        explanation: "The download goes through a TLS-intercepting proxy whose CA the image does not trust, or the \
            image lacks CA certificates (`ca-certificates`) altogether.",
        fixes: &[
            "Install CA certificates: `apt-get install -y ca-certificates` (Alpine: `apk add --no-cache ca-certificates`).",
            "Add the proxy's CA: `COPY corp-ca.crt /usr/local/share/ca-certificates/` then `RUN update-ca-certificates` (better: a secret mount); do not turn verification off.",
        ],
        related_rules: &["BD3001"],
        sources: &["https://docs.docker.com/engine/network/ca-certs/"],
    },
    Entry {
        cause: "network-error",
        title: "A download failed: the build could not reach the network",
        patterns: &[
            "temporary failure in name resolution",
            "could not resolve host",
            "could not resolve",
            "name or service not known",
            "network is unreachable",
            "connection timed out",
            "i/o timeout",
            "tls handshake timeout",
            "connection refused",
            "connection reset by peer",
            "failed to establish a new connection",
            "read timed out",
            "getaddrinfo",
            "eai_again",
            "unable to connect to",
            "bad address",
        ],
        applies: any,
        explanation: "DNS or the connection failed from inside the build: no network in the builder, a corporate \
            proxy not passed to the build, a VPN, or the server is down.",
        fixes: &[
            "Retry; if it persists, check DNS in the daemon (`\"dns\"` in daemon.json) and that the host reaches the server.",
            "Behind a proxy, pass it: `docker build --build-arg HTTP_PROXY=... --build-arg HTTPS_PROXY=... --build-arg NO_PROXY=...` (predefined build args, not kept in the image).",
            "Try `--network host` for the build if a VPN or firewall blocks the bridge network.",
        ],
        related_rules: &[],
        sources: &[
            "https://docs.docker.com/reference/dockerfile/#predefined-args",
            "https://docs.docker.com/engine/cli/proxy/",
        ],
    },
    Entry {
        cause: "git-authentication",
        title: "git could not authenticate to a private repository",
        patterns: &[
            "host key verification failed",
            "permission denied (publickey)",
            "could not read username for",
            "terminal prompts disabled",
        ],
        applies: any,
        explanation: "A private repository is cloned (directly, or by go/pip/npm) without credentials: the build \
            has no SSH agent or token, and no known_hosts entry.",
        fixes: &[
            "Forward the SSH agent: `RUN --mount=type=ssh git clone git@...` and `docker build --ssh default .`; add the host key with `ssh-keyscan` first.",
            "Or pass a token as a secret: `RUN --mount=type=secret,id=gh_token ...` with `docker build --secret id=gh_token,env=GH_TOKEN .`.",
        ],
        related_rules: &["DL3064", "BD3003"],
        sources: &["https://docs.docker.com/build/building/secrets/#ssh-mounts"],
    },
    Entry {
        cause: "missing-headers",
        title: "A C header is missing: the -dev package is not installed",
        patterns: &["fatal error: ", ".h: no such file or directory"],
        applies: |f| f.has(".h: no such file or directory"),
        explanation: "Compiling needs the development headers of a library (Debian `lib<name>-dev`, Alpine \
            `<name>-dev`), which runtime images leave out.",
        fixes: &[
            "Install the -dev package that provides the header (Debian: `apt-file search <header.h>`), in a builder stage.",
        ],
        related_rules: &[],
        sources: &["https://packages.debian.org/"],
    },
    Entry {
        cause: "shell-syntax",
        title: "The shell could not parse the command (bash syntax in /bin/sh?)",
        patterns: &["syntax error", "unexpected end of file", "bad substitution", "[[: not found", "source: not found"],
        applies: not_copy,
        explanation: "RUN in shell form runs `/bin/sh -c`, which is dash on Debian/Ubuntu and busybox ash on \
            Alpine: bash features (`[[ ]]`, `source`, `${var//x/y}`, arrays, `<<<`) fail there. A line \
            continuation or quote may also be broken.",
        fixes: &[
            "Use POSIX syntax (`[ ]`, `.` instead of `source`), or run bash: `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN.",
            "Check the line continuations (`\\` at the very end of each line) and quotes.",
        ],
        related_rules: &["DL4006", "BD1008"],
        sources: &[
            "https://docs.docker.com/reference/dockerfile/#shell",
            "https://docs.docker.com/reference/dockerfile/#run",
        ],
    },
    Entry {
        cause: "command-not-found",
        title: "`{command}` was not found in this image",
        patterns: &[],
        applies: command_not_found,
        explanation: "The shell could not find the program (`not found`, exit code 127): the base image does not include it (slim and Alpine \
            images ship very little: no curl, git, wget, bash, sudo, make), it was installed in another stage, or \
            its folder is not on PATH.",
        fixes: &[
            "Install it earlier in the same stage (Debian/Ubuntu: `apt-get update && apt-get install -y --no-install-recommends <package>`; Alpine: `apk add --no-cache <package>`).",
            "If another stage installs it, copy it over (`COPY --from=<stage> /usr/local/bin/{command} /usr/local/bin/`) or build on that stage.",
            "If it is installed in a non-standard folder, add it to PATH with ENV.",
        ],
        related_rules: &["DL3004", "DL4001"],
        sources: &["https://docs.docker.com/reference/dockerfile/#run", "https://tldp.org/LDP/abs/html/exitcodes.html"],
    },
    Entry {
        cause: "permission-denied-after-user",
        title: "Permission denied: the step runs as `{user}`, not root",
        patterns: &["permission denied", "eacces", "operation not permitted", "are you root?", "read-only file system"],
        applies: as_user,
        explanation: "A USER instruction earlier in the stage switched to an unprivileged user; later RUN steps \
            cannot write to system folders, install packages or change files that root owns.",
        fixes: &[
            "Do root work (package installs, writes under /etc, /usr, /opt) before `USER {user}`, then switch.",
            "Give the user its folders: `COPY --chown={user} ...` or `RUN mkdir -p /app && chown {user} /app` as root.",
            "If a step must run as root after USER, wrap it: `USER root`, the RUN, then `USER {user}` again.",
        ],
        related_rules: &["DL3002", "DL3004", "DL3066"],
        sources: &[
            "https://docs.docker.com/reference/dockerfile/#user",
            "https://docs.docker.com/reference/dockerfile/#copy---chown---chmod",
        ],
    },
    Entry {
        cause: "permission-denied",
        title: "Permission denied",
        patterns: &["permission denied", "eacces"],
        applies: |f| f.user.is_none(),
        explanation: "A file is not executable (a script copied without its execute bit), or the command writes \
            where it may not (a read-only mount, a folder owned by another user).",
        fixes: &[
            "Make scripts executable: `COPY --chmod=755 script.sh /usr/local/bin/` or `RUN chmod +x ...`, or run them with `sh script.sh`.",
            "Check which user the step runs as (`RUN id`) and who owns the target folder.",
        ],
        related_rules: &[],
        sources: &["https://docs.docker.com/reference/dockerfile/#copy---chown---chmod"],
    },
    Entry {
        cause: "dockerfile-parse-error",
        title: "The Dockerfile itself is invalid",
        patterns: &[
            "dockerfile parse error",
            "unknown instruction",
            "failed to parse dockerfile",
            "invalid reference format",
        ],
        applies: any,
        explanation: "The builder rejected the Dockerfile before running anything: an unknown instruction (often \
            a broken line continuation), a malformed flag, or an image reference that is empty or invalid after \
            variable expansion.",
        fixes: &[
            "Fix the line berth reports (run `berth check` on the Dockerfile).",
            "For `invalid reference format`, check the ARGs used in FROM have defaults and the name is lowercase.",
        ],
        related_rules: &["BD0001", "BD2005", "BD1010", "BD1012", "BD2001", "BD2004"],
        sources: &["https://docs.docker.com/reference/dockerfile/"],
    },
    Entry {
        cause: "command-failed",
        title: "The command failed with exit code {code}",
        patterns: &[],
        applies: failed_run,
        explanation: "The RUN command returned a non-zero exit status, which stops the build. Its last output \
            lines (below) usually say why.",
        fixes: &[
            "Read the command's last output lines; run the failing command in a container of the previous step to reproduce it (`docker run -it --rm <image> sh`).",
            "In a chain of commands joined with `&&`, the first failing one stops the RUN: split it while debugging.",
        ],
        related_rules: &["DL4006"],
        sources: &[
            "https://docs.docker.com/reference/dockerfile/#run",
            "https://docs.docker.com/build/building/best-practices/",
        ],
    },
];
