import ArgumentParser

/// How a command prints its result. `--format` is one option whose values depend on the
/// command; these two are what every command takes.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
  case text, json
}

/// Options every subcommand accepts (SPEC "Global options").
struct GlobalOptions: ParsableArguments {
  /// Where the vault is; see `VaultLocation`.
  @Option(name: .long, help: ArgumentHelp("Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).", valueName: "path"))
  var vault: String?

  @Option(name: .long, help: ArgumentHelp("Unlock with this key file (or $MFACTL_KEY_FILE).", valueName: "path"))
  var keyFile: String?

  @Option(name: .long, help: ArgumentHelp("Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).", valueName: "path"))
  var passphraseFile: String?

  @Option(name: .long, help: "Output format: text or json.")
  var format: OutputFormat = .text

  @Flag(name: .long, help: "Print only what scripts need (errors still go to stderr).")
  var quiet = false

  /// Recorded in the audit log; default $SUDO_USER, else the login name.
  @Option(name: .long, help: ArgumentHelp("Who is acting, for the audit log (default: $SUDO_USER, else the login name).", valueName: "name"))
  var actor: String?

  @Option(name: .long, help: ArgumentHelp("Client address, recorded on audit events.", valueName: "addr"))
  var ip: String?

  @Option(name: .long, help: ArgumentHelp("Client user agent, recorded on audit events.", valueName: "text"))
  var userAgent: String?

  var json: Bool { format == .json }
}

/// The global options as plain values, so code that runs after parsing does not depend
/// on how they were parsed (ArgumentParser, or the verify fast path in FastPath.swift).
struct Settings {
  var vault: String? = nil
  var keyFile: String? = nil
  var passphraseFile: String? = nil
  var format: OutputFormat = .text
  var quiet = false
  var actor: String? = nil
  var ip: String? = nil
  var userAgent: String? = nil

  var json: Bool { format == .json }
}

extension GlobalOptions {
  var settings: Settings {
    Settings(
      vault: vault, keyFile: keyFile, passphraseFile: passphraseFile, format: format, quiet: quiet, actor: actor, ip: ip,
      userAgent: userAgent)
  }
}
