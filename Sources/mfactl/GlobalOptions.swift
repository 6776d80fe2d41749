import Accounts
import ArgumentParser

/// How a command prints its result. `--format` is one option whose values depend on the
/// command: most take these two; `audit export`, `users export` and `status` declare
/// their own `--format` with their values (ExportFormat, UserExportFormat, StatusFormat),
/// so a value a command does not have is a usage error (64).
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
  case text, json
}

/// The options every subcommand accepts except `--format` (SPEC "Global options").
struct CommonOptions: ParsableArguments {
  /// Where the vault is; see `Context.vaultPath`.
  /// The one global option a subcommand's help shows (under "Global options"); its
  /// discussion names the others, which the help hides (see `GlobalHelp`).
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).",
      discussion: GlobalHelp.others, valueName: "path"),
    completion: .file())
  var vault: String?

  @Option(
    name: .long,
    help: ArgumentHelp("Unlock with this key file (or $MFACTL_KEY_FILE).", valueName: "path", visibility: GlobalHelp.visibility),
    completion: .file())
  var keyFile: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).", valueName: "path",
      visibility: GlobalHelp.visibility),
    completion: .file())
  var passphraseFile: String?

  @Flag(name: .long, help: ArgumentHelp("Print only what scripts need (errors still go to stderr).", visibility: GlobalHelp.visibility))
  var quiet = false

  /// Recorded in the audit log; default $SUDO_USER, else the login name.
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Who is acting, for the audit log (default: $SUDO_USER, else the login name).", valueName: "name",
      visibility: GlobalHelp.visibility))
  var actor: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Client address, recorded on audit events, sessions and devices.", valueName: "addr", visibility: GlobalHelp.visibility))
  var ip: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Client user agent, recorded on audit events, sessions and devices.", valueName: "text",
      visibility: GlobalHelp.visibility))
  var userAgent: String?

  @Flag(name: .long, help: ArgumentHelp("Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.", visibility: GlobalHelp.visibility))
  var syslog = false

  /// Text that reaches the audit log and terminals: no control characters or bidi
  /// overrides (SPEC "Fail closed"), or `audit list` would print forged lines.
  func validate() throws {
    try Self.checkDisplayText(actor: actor, ip: ip, userAgent: userAgent)
  }

  static func checkDisplayText(actor: String?, ip: String?, userAgent: String?) throws {
    for (what, value) in [("--actor", actor), ("--ip", ip), ("--user-agent", userAgent)] {
      guard let v = value else { continue }
      do { try DisplayText.validate(v, what: what) } catch let e as AccountsError { throw ValidationError(e.description) }
    }
  }

  func settings(format: OutputFormat) -> Settings {
    Settings(
      vault: vault, keyFile: keyFile, passphraseFile: passphraseFile, format: format, quiet: quiet, actor: actor, ip: ip,
      userAgent: userAgent, syslog: syslog)
  }
}

/// Options every subcommand accepts (SPEC "Global options").
struct GlobalOptions: ParsableArguments {
  @OptionGroup(title: "Global options") var common: CommonOptions

  @Option(name: .long, help: "Output format: text or json.")
  var format: OutputFormat = .text

  var vault: String? { common.vault }
  var keyFile: String? { common.keyFile }
  var passphraseFile: String? { common.passphraseFile }
  var quiet: Bool { common.quiet }
  var actor: String? { common.actor }
  var ip: String? { common.ip }
  var userAgent: String? { common.userAgent }
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

/// The global options as plain values, so code that runs after parsing does not depend
/// on how they were parsed (ArgumentParser, or the fast paths in FastPath.swift).
struct Settings {
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
