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
    @Option(parsing: .unconditional, help: "TOTP: accept steps within ±N of the centre for this call (default 1, at most 20).")
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

    func validate() throws {
      try checkUserName(user)
      if let w = window, !Self.windowRange.contains(w) {
        throw ValidationError("--window must be 0 to \(Verifier.maxWindow)")
      }
      if !session && (ttl != nil || idle != nil || remember) {
        throw ValidationError("--ttl, --idle and --remember go with --session")
      }
      if trustDevice == nil && deviceTTL != nil { throw ValidationError("--device-ttl goes with --trust-device") }
      if let name = trustDevice {
        do { try Devices.validateName(name) } catch let e as AccountsError { throw ValidationError(e.description) }
      }
      _ = try parseDuration(ttl, option: "--ttl")
      _ = try parseDuration(idle, option: "--idle")
      _ = try parseDuration(deviceTTL, option: "--device-ttl")
    }

    static let windowRange = 0...Verifier.maxWindow

    /// What to do besides checking the code.
    struct Extras {
      var allowRecovery = false
      var session: (ttl: Int64?, idle: Int64?, remember: Bool)? = nil
      var trustDevice: (name: String, ttl: Int64?)? = nil
    }

    func run() throws {
      try reporting {
        var extras = Extras(allowRecovery: allowRecovery)
        if session {
          extras.session = (try parseDuration(ttl, option: "--ttl"), try parseDuration(idle, option: "--idle"), remember)
        }
        if let name = trustDevice { extras.trustDevice = (name, try parseDuration(deviceTTL, option: "--device-ttl")) }
        try Self.execute(Context(options: options), user: user, code: code, window: window, extras: extras)
      }
    }

    /// The whole command after parsing; the fast path (FastPath.swift) calls this too.
    static func execute(_ ctx: Context, user: String, code: String?, window: Int?, extras: Extras = Extras()) throws {
      let input = try Terminal.secretArgument(code, prompt: "Code")
      let store = try ctx.openStore(write: true, stdinFree: code != nil && code != "-")
      var u = try store.user(user)
      let result = try SignIn.attempt(
        &u, code: input, now: store.now, options: VerifyOptions(window: window), allowRecovery: extras.allowRecovery,
        keys: try signInKeys(store))
      try finishSignIn(store: store, user: &u, result: result, ctx: ctx, extras: extras)
    }
  }
}

/// Records a sign-in's outcome, creates what was asked for on success, prints, and exits
/// with the contract's code: 0 accepted, 1 rejected, 2 locked.
func finishSignIn(
  store: AccountStore, user u: inout User, result: SignInResult, ctx: Context, extras: MFACtl.Verify.Extras,
  events: (success: String, failure: String) = ("verify.success", "verify.failure"),
  successLine: (SignInMethod) -> String = { _ in "accepted" }
) throws {
  let p = ctx.printer
  // Only an acceptance prints on stdout: a rejection prints nothing in any format (the
  // reason goes to stderr; the exit code is the answer), SPEC "JSON output".
  func out(_ result: String, _ fields: [(String, JSON)]) {
    if ctx.options.json { p.json(.object([("user", .string(u.name)), ("result", .string(result))] + fields)) }
  }
  switch result {
  case .accepted(let method):
    var fields: [(String, JSON)] = []
    var detail: EventDetail = [:]
    switch method {
    case .authenticator(let id, let offset):
      let type = u.authenticators.first { $0.id == id }?.type.rawValue ?? "totp"
      fields = [("method", .string(type)), ("authenticator", .string(id)), ("offset", .int(offset))]
      detail = ["method": type, "authenticator": id, "offset": String(offset)]
    case .challenge:
      fields = [("method", .string("challenge"))]
      detail = ["method": "challenge"]
    case .recovery(let remaining):
      fields = [("method", .string("recovery")), ("remaining", .int(Int64(remaining)))]
      detail = ["method": "recovery", "remaining": String(remaining)]
      store.record(AccountEvent("recovery.used", user: u, detail: ["remaining": String(remaining)]))
    }
    var tokens: [String] = []
    if let s = extras.session {
      let created = try createSession(
        store, &u, ttl: s.ttl, idle: s.idle, remember: s.remember, deviceName: extras.trustDevice?.name)
      store.record(AccountEvent("session.created", user: u, detail: ["session": created.session.id]))
      tokens.append(created.token)
      fields += [("token", .string(created.token)), ("session", .string(created.session.id)), ("session_expires", .time(created.session.expiresAt))]
    }
    if let d = extras.trustDevice {
      let trusted = try trustDevice(store, &u, name: d.name, ttl: d.ttl)
      store.record(AccountEvent("device.trusted", user: u, detail: ["device": trusted.device.id, "name": d.name]))
      tokens.append(trusted.token)
      fields += [(extras.session == nil ? "token" : "device_token", .string(trusted.token)), ("device", .string(trusted.device.id)), ("device_expires", .time(trusted.device.expiresAt))]
    }
    try store.save(u, event: AccountEvent(events.success, user: u, detail: detail))
    if tokens.isEmpty {
      try store.commit()
      out("accepted", fields)
      if !ctx.options.json { p.line(successLine(method)) }
    } else {
      // New tokens are shown (and flushed) before the commit: a token nobody could read
      // is never stored, and the code is not used up (SPEC "Fail closed").
      out("accepted", fields)
      if !ctx.options.json { for t in tokens { p.essential(t) } }
      try p.flush()
      try store.commit()
    }
    if case .recovery(let remaining) = method, remaining <= 2 {
      Report.warning("\(u.name) has only \(remaining) recovery code\(remaining == 1 ? "" : "s") left; make a new set: mfactl recovery-codes generate \(u.name)")
    }
  case .rejected(let replay):
    try store.save(u, event: AccountEvent(replay ? "verify.replay" : events.failure, user: u, outcome: .failure))
    try store.commit()
    var msg = replay ? "code rejected for \(u.name): already used" : "code rejected for \(u.name)"
    if let until = u.lockedUntil, until > store.now { msg += "; locked out until \(Time.rfc3339(until))" }
    Terminal.stderr("mfactl: \(msg)\n")
    throw ExitCode(Exit.rejected)
  case .malformed(let rule):
    // A typo is a wrong code (SPEC "Verifying a code"): counted and audited like one,
    // with the rule it broke in the detail, never the code.
    try store.save(u, event: AccountEvent(events.failure, user: u, outcome: .failure, detail: malformedDetail(rule)))
    try store.commit()
    var msg = "code rejected for \(u.name): malformed (\(rule))"
    if let until = u.lockedUntil, until > store.now { msg += "; locked out until \(Time.rfc3339(until))" }
    Terminal.stderr("mfactl: \(msg)\n")
    throw ExitCode(Exit.rejected)
  case .locked(let until):
    try store.save(u, event: AccountEvent("verify.locked", user: u, outcome: .failure, detail: ["until": String(until)]))
    try store.commit()
    Report.error(
      "\(u.name) is locked out until \(Time.rfc3339(until)) after \(u.failures) failed attempts",
      hint: "wait, or have an administrator run: mfactl users unlock \(u.name)")
    throw ExitCode(Exit.locked)
  case .disabled:
    try refused(store, u, "disabled")
    Report.error("\(u.name) is disabled", hint: "mfactl users enable \(u.name)")
    throw ExitCode(Exit.rejected)
  case .noFactor:
    try refused(store, u, "no active authenticator")
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
    try refused(store, u, "mfa required")
    Report.error(
      "\(u.name) must use two-factor authentication but has no active authenticator",
      hint: u.hasPendingAuthenticator
        ? "confirm the pending one: mfactl enrol \(u.name) --confirm CODE"
        : "enrol one: mfactl enrol \(u.name), then mfactl enrol \(u.name) --confirm CODE")
    throw ExitCode(Exit.rejected)
  }
}

/// The audit detail of a malformed code: that it was malformed and the rule it broke,
/// never the code itself.
func malformedDetail(_ rule: String) -> EventDetail {
  ["reason": "malformed", "rule": rule]
}

/// A verify refused before any code was checked is still audited (`verify.refused`).
func refused(_ store: AccountStore, _ u: User, _ reason: String) throws {
  store.record(AccountEvent("verify.refused", user: u, outcome: .failure, detail: ["reason": reason]))
  try store.commit()
}
