import Accounts
import ArgumentParser

extension MFACtl {
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a code for a user: exit 0 accepted, 1 rejected, 2 locked out.",
      discussion: """
        CODE is read from stdin (one line) when absent or '-', so it never has to appear in \
        the process list. Accepted: a code from any active authenticator, a live challenge \
        code (challenge send), and with --allow-recovery a recovery code. TOTP accepts the \
        current step ±1 (--window N), centred on the drift remembered from the last success; \
        a step accepted once, and every earlier one, is never accepted again. HOTP accepts \
        the next unused counter and the 10 after it. Every rejection counts towards the \
        lockout (5 failures: 1 min, doubling, up to 1 h). A user set to --require-mfa with no \
        active authenticator is refused whatever the code. With --session and/or \
        --trust-device, the new tokens are printed on stdout instead of 'accepted', one per \
        line, the session token first.
        """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: "User name.", completion: .userNames)
    var user: String

    @Argument(help: "The code (default: read from stdin).")
    var code: String?

    // Unconditional: `--window -1` takes "-1" as its value and is refused as out of
    // range, not reported as a missing value.
    @Option(
      parsing: .unconditional, help: "TOTP: accept steps within ±N of the centre for this call (default 1, at most 20)."
    )
    var window: Int?

    @Flag(help: "Also accept a recovery code (XXXXX-XXXXX), using it up.")
    var allowRecovery = false

    @Flag(help: "On success, create a session and print its token.")
    var session = false

    @Option(help: "With --session: lifetime (90s, 30m, 24h, 30d; default 24h).")
    var ttl: String?

    @Option(help: "With --session: idle timeout (default 30m).")
    var idle: String?

    @Flag(help: "With --session: 30 days, no idle timeout unless --idle.")
    var remember = false

    @Option(help: ArgumentHelp("On success, trust this device and print its token.", valueName: "name"))
    var trustDevice: String?

    @Option(help: "With --trust-device: lifetime (default 30d).")
    var deviceTTL: String?

    /// The options as given, before any rule: what the properties above hold after
    /// ArgumentParser, and what FastPath splits out of the command line.
    struct Arguments {
      var user: String
      var code: String? = nil
      var window: Int? = nil
      var allowRecovery = false
      var session = false
      var ttl: String? = nil
      var idle: String? = nil
      var remember = false
      var trustDevice: String? = nil
      var deviceTTL: String? = nil
    }

    /// A call of verify that passed every rule; made only by `input(_:settings:)`, the
    /// same for ArgumentParser (`validate`, `run`) and the fast path.
    struct Input {
      var settings: Settings
      var user: String
      var code: String?
      var window: Int?
      var extras: Extras
    }

    var arguments: Arguments {
      Arguments(
        user: user, code: code, window: window, allowRecovery: allowRecovery, session: session, ttl: ttl, idle: idle,
        remember: remember, trustDevice: trustDevice, deviceTTL: deviceTTL)
    }

    func validate() throws { _ = try Self.input(arguments, settings: options.settings) }

    static let windowRange = 0...Verifier.maxWindow

    /// The rules of verify's options, in one place.
    static func input(_ a: Arguments, settings: Settings) throws -> Input {
      try checkUserName(a.user)
      if let w = a.window, !windowRange.contains(w) {
        throw ValidationError("--window must be 0 to \(Verifier.maxWindow)")
      }
      if !a.session && (a.ttl != nil || a.idle != nil || a.remember) {
        throw ValidationError("--ttl, --idle and --remember go with --session")
      }
      if a.trustDevice == nil && a.deviceTTL != nil { throw ValidationError("--device-ttl goes with --trust-device") }
      if let name = a.trustDevice {
        do { try Devices.validateName(name) } catch let e as AccountsError { throw ValidationError(e.description) }
      }
      let ttl = try parseDuration(a.ttl, option: "--ttl")
      let idle = try parseDuration(a.idle, option: "--idle")
      let deviceTTL = try parseDuration(a.deviceTTL, option: "--device-ttl")
      // Last: ArgumentParser also runs it (CommonOptions.validate), so the fault a line
      // with two is refused for stays what it was before this check moved here.
      try settings.validate()
      var extras = Extras(allowRecovery: a.allowRecovery)
      if a.session { extras.session = (ttl, idle, a.remember) }
      if let name = a.trustDevice { extras.trustDevice = (name, deviceTTL) }
      return Input(settings: settings, user: a.user, code: a.code, window: a.window, extras: extras)
    }

    /// What to do besides checking the code.
    typealias Extras = SignInExtras

    func run() throws {
      try reporting { try Self.execute(Self.input(arguments, settings: options.settings)) }
    }

    /// The whole command after parsing; the fast path (FastPath.swift) calls this too.
    static func execute(_ call: Input) throws {
      let ctx = Context(settings: call.settings)
      let input = try Terminal.secretArgument(call.code, prompt: "Code")
      let store = try ctx.openStore(write: true, stdinFree: call.code != nil && call.code != "-")
      let outcome = try VerifyCode.run(
        store, VerifyCode.Input(user: call.user, code: input, window: call.window, extras: call.extras)
      ) { outcome in
        if case .accepted(let method) = outcome.result {
          try showAccepted(outcome, method, ctx: ctx) { _ in "accepted" }
        }
      }
      try reportSignIn(outcome, ctx: ctx, now: store.now)
    }
  }
}

/// Shows an accepted sign-in: the JSON object, or the success line, or the new tokens
/// (flushed: VerifyCode calls this before its commit when there are tokens).
func showAccepted(_ outcome: SignInOutcome, _ method: SignInMethod, ctx: Context, successLine: (SignInMethod) -> String)
  throws
{
  let p = ctx.printer
  // Only an acceptance prints on stdout: a rejection prints nothing in any format (the
  // reason goes to stderr; the exit code is the answer), docs/json/README.md, "Conventions".
  if ctx.options.json {
    var fields: [(String, JSON)] = [
      ("user", .string(outcome.user.name)), ("result", .string("accepted")), ("method", .string(outcome.method!)),
    ]
    switch method {
    case .authenticator(let id, let offset): fields += [("authenticator", .string(id)), ("offset", .int(offset))]
    case .challenge: break
    case .recovery(let remaining): fields += [("remaining", .int(Int64(remaining)))]
    }
    if let s = outcome.session {
      fields += [
        ("token", .string(s.token)), ("session", .string(s.session.id)),
        ("session_expires", .time(s.session.expiresAt)),
      ]
    }
    if let d = outcome.device {
      fields += [
        (outcome.session == nil ? "token" : "device_token", .string(d.token)), ("device", .string(d.device.id)),
        ("device_expires", .time(d.device.expiresAt)),
      ]
    }
    p.json(.object(fields))
  } else if outcome.tokens.isEmpty {
    p.line(successLine(method))
  } else {
    for t in outcome.tokens { p.essential(t) }
  }
  if !outcome.tokens.isEmpty { try p.flush() }
}

/// Reports a recorded sign-in and exits with the contract's code: 0 accepted, 1
/// rejected, 2 locked.
func reportSignIn(
  _ outcome: SignInOutcome, ctx: Context, now: Int64, successLine: (SignInMethod) -> String = { _ in "accepted" }
) throws {
  let u = outcome.user
  switch outcome.result {
  case .accepted(let method):
    // New tokens were shown before the commit.
    if outcome.tokens.isEmpty { try showAccepted(outcome, method, ctx: ctx, successLine: successLine) }
    if case .recovery(let remaining) = method, remaining <= 2 {
      Report.warning(
        "\(u.name) has only \(remaining) recovery code\(remaining == 1 ? "" : "s") left; make a new set: mfactl recovery-codes generate \(u.name)"
      )
    }
  case .rejected(let replay):
    var msg = replay ? "code rejected for \(u.name): already used" : "code rejected for \(u.name)"
    if let until = u.lockedUntil, until > now { msg += "; locked out until \(Time.rfc3339(until))" }
    Terminal.stderr("mfactl: \(msg)\n")
    throw ExitCode(Exit.rejected)
  case .malformed(let rule):
    var msg = "code rejected for \(u.name): malformed (\(rule))"
    if let until = u.lockedUntil, until > now { msg += "; locked out until \(Time.rfc3339(until))" }
    Terminal.stderr("mfactl: \(msg)\n")
    throw ExitCode(Exit.rejected)
  case .locked(let until):
    Report.error(
      "\(u.name) is locked out until \(Time.rfc3339(until)) after \(u.failures) failed attempts",
      hint: "wait, or have an administrator run: mfactl users unlock \(u.name)")
    throw ExitCode(Exit.locked)
  case .disabled:
    Report.error("\(u.name) is disabled", hint: "mfactl users enable \(u.name)")
    throw ExitCode(Exit.rejected)
  case .noFactor:
    // Nothing could check the code: no active authenticator, and no live challenge code
    // (a challenge code works once, until it expires). Say both, and the ways out.
    Report.error(
      "\(u.name) has no active authenticator and no live challenge code to check the code against",
      hint: u.hasPendingAuthenticator
        ? "a challenge code works once, until it expires: send a new one (mfactl challenge send \(u.name)), "
          + "or confirm the pending authenticator: mfactl enrol \(u.name) --confirm CODE"
        : "send a challenge code (mfactl challenge send \(u.name)), or enrol an authenticator: mfactl enrol \(u.name)")
    throw ExitCode(Exit.rejected)
  case .mfaRequired:
    Report.error(
      "\(u.name) must use two-factor authentication but has no active authenticator",
      hint: u.hasPendingAuthenticator
        ? "confirm the pending one: mfactl enrol \(u.name) --confirm CODE"
        : "enrol one: mfactl enrol \(u.name), then mfactl enrol \(u.name) --confirm CODE")
    throw ExitCode(Exit.rejected)
  }
}
