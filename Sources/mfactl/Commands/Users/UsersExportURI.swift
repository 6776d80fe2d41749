import Accounts
import ArgumentParser
import OTP

struct UsersExportURI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export-uri",
    abstract:
      "Print the otpauth URI of a user's authenticators, to move them to another verifier (reveals the secrets).",
    discussion: """
      One URI per line (JSON: one object per line with id, user, state and uri), pending and \
      active authenticators alike; HOTP URIs carry the next unused counter. The URIs hold the \
      shared secrets: anyone who sees them can make codes, so the command refuses to run \
      without --yes (exit 64). Each exported authenticator is audited (secret.exported, with \
      its id, never the secret). 'mfactl users import uris' on the other side takes the \
      output as it is ('USER<TAB>URI' lines: use --format json or prefix the user).
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.") var user: String
  @Option(name: .customLong("id"), help: ArgumentHelp("Only this authenticator.", valueName: "id"))
  var authenticatorID: String?
  @Flag(help: "Confirm that the secrets may be printed.") var yes = false

  func validate() throws {
    try checkUserName(user)
    if !yes {
      throw ValidationError(
        "export-uri prints the shared secret of each authenticator: anyone who sees it can make valid codes; add --yes to go ahead"
      )
    }
  }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let store = try ctx.openStore(write: true)
      // Printed (and flushed) before the export is recorded: a failed write is 74 with
      // nothing changed.
      let read = try RevealSecrets.run(
        store, RevealSecrets.Input(user: user, authenticatorID: authenticatorID, purpose: .exportURIs)
      ) {
        try show($0, ctx: ctx)
      }
      guard !read.outcome.isEmpty else {
        throw CLIError("\(user) has no authenticator", code: Exit.notFound, hint: "enrol one: mfactl enrol \(user)")
      }
    }
  }

  /// The warning and the URIs (RevealSecrets calls this before its commit).
  func show(_ read: RevealSecrets.Result, ctx: Context) throws {
    let u = read.user
    if !options.common.quiet {
      Report.warning(
        "these URIs hold the shared secrets of \(user)'s authenticators; keep them off logs and shared screens")
    }
    for a in read.outcome {
      let uri = OTPAuthURI(
        type: a.type, secret: a.secret, issuer: a.issuer, account: a.label ?? u.name, algorithm: a.algorithm,
        digits: a.digits, period: a.period, counter: a.counter
      ).uriString
      if options.json {
        ctx.printer.json(
          .object(ObjectJSON.authenticator(a, user: u.name) + [("uri", .string(uri))]))
      } else {
        ctx.printer.essential(uri)
      }
    }
    try ctx.printer.flush()
  }
}
