import Accounts
import ArgumentParser

/// How a command prints its result. `--format` is one option whose values depend on the
/// command: most take these two; `audit export`, `users export` and `status` declare
/// their own `--format` with their values (ExportFormat, UserExportFormat, StatusFormat),
/// so a value a command does not have is a usage error (64).
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
  case text, json
}

/// The options every subcommand accepts except `--format` (docs/guide.md, "Usage"), as
/// ArgumentParser declares them: named from `GlobalOption`, resolved into `Settings`.
struct CommonOptions: ParsableArguments {
  /// Where the vault is; see `Context.vaultPath`.
  /// The one global option a subcommand's help shows (under "Global options"); its
  /// discussion names the others, which the help hides (see `GlobalHelp`).
  @Option(
    name: .customLong(GlobalOption.vault.long),
    help: ArgumentHelp(
      "Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).",
      discussion: GlobalHelp.others, valueName: "path"),
    completion: .file())
  var vault: String?

  @Option(
    name: .customLong(GlobalOption.keyFile.long),
    help: ArgumentHelp(
      "Unlock with this key file (or $MFACTL_KEY_FILE).", valueName: "path", visibility: GlobalHelp.visibility),
    completion: .file())
  var keyFile: String?

  @Option(
    name: .customLong(GlobalOption.passphraseFile.long),
    help: ArgumentHelp(
      "Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).", valueName: "path",
      visibility: GlobalHelp.visibility),
    completion: .file())
  var passphraseFile: String?

  @Flag(
    name: .customLong(GlobalOption.quiet.long),
    help: ArgumentHelp("Print only what scripts need (errors still go to stderr).", visibility: GlobalHelp.visibility))
  var quiet = false

  /// Recorded in the audit log; default $SUDO_USER, else the login name.
  @Option(
    name: .customLong(GlobalOption.actor.long),
    help: ArgumentHelp(
      "Who is acting, for the audit log (default: $SUDO_USER, else the login name).", valueName: "name",
      visibility: GlobalHelp.visibility))
  var actor: String?

  @Option(
    name: .customLong(GlobalOption.ip.long),
    help: ArgumentHelp(
      "Client address, recorded on audit events, sessions and devices.", valueName: "addr",
      visibility: GlobalHelp.visibility))
  var ip: String?

  @Option(
    name: .customLong(GlobalOption.userAgent.long),
    help: ArgumentHelp(
      "Client user agent, recorded on audit events, sessions and devices.", valueName: "text",
      visibility: GlobalHelp.visibility))
  var userAgent: String?

  @Flag(
    name: .customLong(GlobalOption.syslog.long),
    help: ArgumentHelp(
      "Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.", visibility: GlobalHelp.visibility))
  var syslog = false

  func validate() throws { try settings(format: .text).validate() }

  func settings(format: OutputFormat) -> Settings {
    Settings(
      vault: vault, keyFile: keyFile, passphraseFile: passphraseFile, format: format, quiet: quiet, actor: actor,
      ip: ip,
      userAgent: userAgent, syslog: syslog)
  }
}

/// Options every subcommand accepts (docs/guide.md, "Usage").
struct GlobalOptions: ParsableArguments {
  @OptionGroup(title: "Global options") var common: CommonOptions

  @Option(name: .customLong(GlobalOption.format.long), help: "Output format: text or json.")
  var format: OutputFormat = .text

  var json: Bool { format == .json }
  var settings: Settings { common.settings(format: format) }
}

/// How a subcommand's help shows the global options: once, briefly. Every subcommand
/// takes the same nine, and listing them all made each `--help` a screen of repeats with
/// a 300-character usage line (issue 9, item 12). So the help shows `--vault` under
/// "Global options" with a note naming the others, which are hidden there (still
/// accepted, shown by `--help-hidden`, described once in mfactl(1)).
///
/// The completion scripts are the exception: ArgumentParser leaves hidden options out of
/// them, and bash would then take the value after `--key-file` for a positional
/// argument. So while a completion script is being generated the options are visible.
enum GlobalHelp {
  static let others =
    "Also taken by every command: --key-file, --passphrase-file, --quiet, --actor, --ip, --user-agent, --syslog "
    + "(see mfactl(1) or --help-hidden)."

  static let visibility: ArgumentVisibility = generatingCompletions ? .default : .hidden

  /// Whether this process was asked for a completion script.
  private static let generatingCompletions: Bool = (StartArguments.read() ?? CommandLine.arguments).contains {
    $0 == "--generate-completion-script" || $0.hasPrefix("--generate-completion-script=")
  }
}

/// The global options, defined once (docs/guide.md, "Usage"): the name of each, whether
/// it takes a value, and the environment variable that stands in for it. `CommonOptions`
/// declares them to ArgumentParser under these names (for help, completions and every
/// command but the fast ones); FastPath splits them out of the command line by this
/// table. Both end in one `Settings`, filled by `Settings.set` and checked by
/// `Settings.validate`. The defaults are `Settings`'s; what an absent option falls back
/// to (the variable, then the XDG path or the login name) is resolved in `Context`.
///
/// A plain list searched linearly: a Set or Dictionary of String would cost a scan of
/// every protocol conformance in the binary on first use, on every run (bench/README.md).
enum GlobalOption {
  case vault, keyFile, passphraseFile, quiet, actor, ip, userAgent, syslog, format

  static let all: [GlobalOption] = [
    .vault, .keyFile, .passphraseFile, .quiet, .actor, .ip, .userAgent, .syslog, .format,
  ]

  /// The long name, without the dashes.
  var long: String {
    switch self {
    case .vault: return "vault"
    case .keyFile: return "key-file"
    case .passphraseFile: return "passphrase-file"
    case .quiet: return "quiet"
    case .actor: return "actor"
    case .ip: return "ip"
    case .userAgent: return "user-agent"
    case .syslog: return "syslog"
    case .format: return "format"
    }
  }

  /// A flag takes no value; every other option takes exactly one.
  var isFlag: Bool { self == .quiet || self == .syslog }

  /// The environment variable used when the option is absent (`$MFACTL_SYSLOG=1` for
  /// `--syslog`).
  var environment: String? {
    switch self {
    case .vault: return "MFACTL_VAULT"
    case .keyFile: return "MFACTL_KEY_FILE"
    case .passphraseFile: return "MFACTL_PASSPHRASE_FILE"
    case .syslog: return "MFACTL_SYSLOG"
    case .quiet, .actor, .ip, .userAgent, .format: return nil
    }
  }

  /// The value of `environment`, when set and not empty.
  var fromEnvironment: String? { environment.flatMap(Env.get) }

  /// The option `--name` (as written on the command line), if it is one.
  static func named(_ flag: String) -> GlobalOption? {
    guard flag.hasPrefix("--") else { return nil }
    let name = flag.dropFirst(2)
    for o in all where o.long == name { return o }
    return nil
  }
}

/// The global options as plain values, so code that runs after parsing does not depend
/// on how they were parsed (ArgumentParser, or the fast paths in FastPath.swift).
struct Settings: Equatable {
  var vault: String? = nil
  var keyFile: String? = nil
  var passphraseFile: String? = nil
  var format: OutputFormat = .text
  var quiet = false
  var actor: String? = nil
  var ip: String? = nil
  var userAgent: String? = nil
  var syslog = false

  var json: Bool { format == .json }

  /// Sets `option` from the command line: `value` is nil for a flag. False when the value
  /// is not one the option takes (a `--format` ArgumentParser would refuse), or a flag
  /// got a value or an option none.
  mutating func set(_ option: GlobalOption, _ value: String?) -> Bool {
    guard option.isFlag == (value == nil) else { return false }
    switch option {
    case .vault: vault = value
    case .keyFile: keyFile = value
    case .passphraseFile: passphraseFile = value
    case .quiet: quiet = true
    case .actor: actor = value
    case .ip: ip = value
    case .userAgent: userAgent = value
    case .syslog: syslog = true
    case .format:
      guard let f = value.flatMap(OutputFormat.init(argument:)) else { return false }
      format = f
    }
    return true
  }

  /// Text that reaches the audit log and terminals: no control characters or bidi
  /// overrides (docs/security.md, "Arguments (argv)"), or `audit list` would print forged
  /// lines. (No list of tuples here: its generic metadata would cost every fast-path run.)
  func validate() throws {
    try Self.checkDisplayText(actor, .actor)
    try Self.checkDisplayText(ip, .ip)
    try Self.checkDisplayText(userAgent, .userAgent)
  }

  private static func checkDisplayText(_ value: String?, _ option: GlobalOption) throws {
    guard let v = value else { return }
    do { try DisplayText.validate(v, what: "--" + option.long) } catch let e as AccountsError {
      throw ValidationError(e.description)
    }
  }
}

extension CompletionKind {
  /// User names from the vault the shell's environment points at. stdin is /dev/null so
  /// a passphrase vault never prompts inside a completion (it just offers nothing), and
  /// errors stay out of the terminal.
  static var userNames: CompletionKind {
    .shellCommand("mfactl users list --quiet </dev/null 2>/dev/null")
  }
}

/// A duration option: `90s`, `30m`, `24h`, `30d`.
func parseDuration(_ text: String?, option: String) throws -> Int64? {
  guard let t = text else { return nil }
  guard let v = TimeSpan.parse(t) else {
    throw ValidationError("\(option) takes a duration like 90s, 30m, 24h or 30d")
  }
  return v
}
