import Accounts
import ArgumentParser

#if canImport(Glibc)
  import Glibc
#endif

struct ChallengeSend: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "send",
    abstract: "Make a 6-digit code for a user and deliver it (email/SMS) or print it.",
    discussion: """
      The code is valid 10 minutes (--ttl), allows 3 tries, and 'verify' accepts it; at \
      most 3 are sent per user per 10 minutes (more: exit 2). The message goes to the \
      standard input of --deliver COMMAND (or $MFACTL_DELIVER): a program and its \
      arguments, run without a shell, with $MFACTL_USER and $MFACTL_EXPIRES set and a \
      time limit of $MFACTL_DELIVER_TIMEOUT seconds (default 30). A failing delivery \
      exits 74 and leaves no live code. Without a delivery command the code is printed \
      on stdout for the calling script.
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  @Option(help: ArgumentHelp("Program (and arguments) that delivers the message on its stdin.", valueName: "command"))
  var deliver: String?
  @Option(help: "How long the code is valid: 90s, 10m (default), 1h; at most 24h.") var ttl: String?

  func validate() throws {
    try checkUserName(user)
    if let c = deliver ?? Env.get("MFACTL_DELIVER") {
      do { _ = try Delivery.words(c) } catch let e as DeliveryError { throw ValidationError(e.description) }
    }
    if let t = try parseDuration(ttl, option: "--ttl"), t > Challenges.maxTTL {
      throw ValidationError("--ttl must be at most 24h")
    }
  }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let command = deliver ?? Env.get("MFACTL_DELIVER")
      let argv = try command.map { try Delivery.words($0) }
      let store = try ctx.openStore(write: true)
      let input = SendChallenge.Input(user: user, ttl: try parseDuration(ttl, option: "--ttl"), byCommand: argv != nil)
      // To stdout: shown (and flushed) before the commit, so a code nobody could read
      // is never live (ARCHITECTURE.md, Rules, "Fail closed").
      let r = try SendChallenge.run(store, input) { r in
        guard case .issued(let code, let challenge) = r.outcome else { return }
        if options.json {
          ctx.printer.json(.object(ObjectJSON.challenge(challenge, user: r.user.name, code: code)))
        } else {
          ctx.printer.essential(code)
        }
        try ctx.printer.flush()
      }
      let u = r.user
      guard case .issued(let code, let challenge) = r.outcome else {
        if case .rateLimited(let until) = r.outcome {
          Report.error(
            "too many codes sent to \(u.name): at most \(Challenges.maxSends) in \(Challenges.sendWindow / 60) minutes; next one after \(Time.rfc3339(until))"
          )
          throw ExitCode(Exit.locked)
        }
        return
      }
      // By a command: committed before delivery (a slow mailer must not hold the vault
      // lock); a failed delivery withdraws the code below.
      guard let argv = argv else { return }
      let expires = Time.rfc3339(challenge.expiresAt)
      let message = """
        Your verification code for \(u.name) is \(code)
        It expires at \(expires), and works once.
        If you did not ask for it, ignore this message.

        """
      // A value that is not a number of seconds in 0.1...3600 (nan, inf, negative) is
      // ignored: a delivery must never be waited for without a bound.
      let timeout =
        Env.get("MFACTL_DELIVER_TIMEOUT").flatMap(Double.init).flatMap { (0.1...3600).contains($0) ? $0 : nil } ?? 30
      do {
        try Delivery.run(
          argv, message: message, environment: ["MFACTL_USER": u.name, "MFACTL_EXPIRES": expires], timeout: timeout)
      } catch let e as DeliveryError {
        // Take the undelivered code back, so no live code is left behind.
        try SendChallenge.withdraw(try ctx.openStore(write: true), user: user, challengeID: challenge.id)
        throw CLIError(e.description, code: Exit.ioError, hint: "the code was withdrawn; check the --deliver command")
      }
      if options.json {
        ctx.printer.json(.object(ObjectJSON.challenge(challenge, user: u.name, code: nil)))
      } else {
        ctx.printer.line("sent a code to \(u.name), valid until \(expires)")
      }
    }
  }
}
