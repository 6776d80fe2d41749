// The verification engine: pure functions over `inout User` and a clock value. Nothing
// here reads a clock, a file or the environment; the caller passes `now` (Unix seconds,
// `MFACTL_NOW` in tests) and persists the changed user.
//
// Rules (docs/guide.md, "Verification" and "Users"):
// - TOTP accepts the steps `c-w ... c+w` around `c = s + drift`, where `s` is the
//   current step and `drift` the device offset seen on the last success; `w` is 1 unless
//   `--window` says otherwise. The steps `s-w ... s+w` are accepted as well, so that a
//   device whose clock was set right after drifting is not shut out (see windowSteps).
//   A step that was accepted once, and every earlier step, is
//   never accepted again (`lastStep`).
// - HOTP accepts the counters `c ... c+10` with `c` the next unused counter; on success
//   the counter moves past the accepted one and never back.
// - Pending authenticators are ignored; a code from any active one is accepted.
// - Every rejected code is a failure for the lockout (Lockout.swift); a try made while
//   locked is refused without checking its code and counts as a further failure.
// - A malformed code (not 6 or 8 digits, or a length no authenticator of the user uses)
//   is a wrong code (docs/guide.md, "Exit codes", 1): `.malformed`, counted as a failure.
//
// Timing: every candidate code in the window (of every authenticator considered) is
// computed and compared in constant time before any is chosen, so the time taken does
// not tell which step, counter or authenticator matched.
import OTP
import Sodium

public struct VerifyOptions: Equatable {
  /// TOTP: accept steps within ±window of the centre; nil = `Verifier.defaultWindow` (1).
  public var window: Int?
  /// HOTP: how many counters past the next unused one are accepted (10 = `c ... c+10`).
  public var hotpLookAhead: Int

  public init(window: Int? = nil, hotpLookAhead: Int = Verifier.defaultHOTPLookAhead) {
    self.window = window
    self.hotpLookAhead = hotpLookAhead
  }
}

public enum VerifyResult: Equatable {
  /// TOTP: `offset` is the accepted step minus the current step (the device's drift in
  /// steps); HOTP: the accepted counter minus the previous next-unused counter.
  case accepted(authenticatorID: String, offset: Int64)
  /// Wrong code. `replay` is true when it matched a step or counter that was already
  /// used (TOTP: a step of the window at or below `lastStep`; HOTP: one of the
  /// `hotpLookAhead` counters just below the next unused one).
  case rejected(replay: Bool)
  /// Refused without checking the code; the try extended the lock to `until`.
  case locked(until: Int64)
  /// The user is disabled; nothing was checked or changed.
  case disabled
  /// The user has no active authenticator; nothing was checked or changed.
  case noActiveAuthenticator
  /// The code has no shape a candidate uses (not 6 or 8 digits, or not the length of
  /// any candidate): a typo is a wrong code, so it was counted as a failure
  /// (docs/guide.md, "Exit codes", 1). The payload is the rule it broke, never the code.
  case malformed(String)
}

/// One place where a code matched in `Verifier.diagnose`.
public struct DiagnoseMatch: Equatable {
  public var authenticatorID: String
  /// TOTP: matched step minus the current step (negative: the device is behind).
  /// HOTP: matched counter minus the next unused counter.
  public var stepOffset: Int64
  /// TOTP: `stepOffset * period`, the clock offset in seconds (to a step). HOTP: 0.
  public var seconds: Int64
  /// The step or counter was already used (TOTP: at or below `lastStep`; HOTP: below
  /// the next unused counter), so `verify` would refuse it as a replay.
  public var alreadyUsed: Bool
  /// The authenticator is still pending (diagnose looks at pending ones too).
  public var pending: Bool

  public init(authenticatorID: String, stepOffset: Int64, seconds: Int64, alreadyUsed: Bool, pending: Bool = false) {
    self.authenticatorID = authenticatorID
    self.stepOffset = stepOffset
    self.seconds = seconds
    self.alreadyUsed = alreadyUsed
    self.pending = pending
  }
}

public enum DiagnoseResult: Equatable {
  /// The search ran (and counted as a failed attempt); matches sorted by distance from
  /// the current step / next counter, nearest first. Empty: the code matched nowhere.
  case matches([DiagnoseMatch])
  /// Refused without searching; the try extended the lock to `until`.
  case locked(until: Int64)
  /// The user has no authenticator at all; nothing was checked or changed.
  case noAuthenticator
  /// The code is not 6 or 8 digits, or no authenticator has its length: counted as a
  /// failed attempt like any diagnose; the payload is the rule, never the code.
  case malformed(String)
}

public enum Verifier {
  public static let defaultWindow = 1
  /// The widest `--window` accepted (±20 steps = ±10 min at 30 s); wider searches are
  /// what `users diagnose` is for.
  public static let maxWindow = 20
  public static let defaultHOTPLookAhead = 10
  public static let maxHOTPLookAhead = 1000
  /// Bound of the remembered TOTP drift, in steps (±40 = ±20 min at 30 s). Each success
  /// can move the window centre by at most the window width, so without a bound a
  /// window could wander arbitrarily far from the server clock over many logins; with
  /// it, no code further than `maxDrift + window` steps from the clock is ever accepted.
  public static let maxDrift: Int32 = 40
  /// Resync search: TOTP ±2880 steps (±1 day at 30 s), HOTP `c ... c+1000`.
  public static let resyncTOTPSteps: Int64 = 2880
  public static let resyncHOTPLookAhead: UInt64 = 1000
  /// Diagnose search: TOTP ±1 day of steps, HOTP `c-100 ... c+1000`.
  public static let diagnoseSeconds: Int64 = 86400
  public static let diagnoseHOTPBehind: UInt64 = 100
  public static let diagnoseHOTPAhead: UInt64 = 1000

  // MARK: verify

  /// Checks a code against the user's active authenticators and records the outcome
  /// (replay state, drift, counter, lockout) in `user`.
  ///
  /// Order: options are validated first (throwing `invalidParameter`, no change); then
  /// a disabled user gives `.disabled` and a locked one `.locked` (a failure); then a
  /// malformed code gives `.malformed` (a failure: a typo is a wrong code); then no
  /// active authenticator gives `.noActiveAuthenticator`; then the code is checked.
  public static func verify(_ user: inout User, code: String, now: Int64, options: VerifyOptions = .init()) throws
    -> VerifyResult
  {
    let window = try checkedWindow(options)
    let lookAhead = try checkedLookAhead(options)
    let input = normalised(code)
    let active = user.authenticators.indices.filter { user.authenticators[$0].state == .active }
    let problem = input == nil ? shapeRule : lengthProblem(input!, user.authenticators, active)

    switch Lockout.admit(&user, now: now) {
    case .admitted: break
    case .disabled: return .disabled
    case .locked(let until): return .locked(until: until)
    }
    if let rule = problem { return rejectMalformed(&user, rule: rule, now: now) }
    if active.isEmpty { return .noActiveAuthenticator }
    return attempt(&user, candidates: active, code: input!, now: now, window: window, lookAhead: lookAhead)
  }

  /// A malformed code, once the disabled and locked checks have passed: counted as a
  /// failure like any wrong code.
  static func rejectMalformed(_ user: inout User, rule: String, now: Int64) -> VerifyResult {
    Lockout.recordFailure(&user, now: now)
    return .malformed(rule)
  }

  /// The shared check of `verify` and `Enrolment.confirm`: matches `code` against the
  /// candidates (in the given order of preference), applies a success or records a
  /// failure. `activate` turns the matching authenticator active.
  static func attempt(
    _ user: inout User, candidates: [Int], code: String, now: Int64, window: Int, lookAhead: Int,
    activate: Bool = false
  ) -> VerifyResult {
    var winner: (index: Int, value: UInt64, offset: Int64)?
    var replay = false
    for i in candidates {
      let (found, replayed) = match(
        user.authenticators[i], code: code, now: now, window: window, lookAhead: lookAhead)
      if replayed { replay = true }
      if winner == nil, let m = found { winner = (i, m.value, m.offset) }
    }
    guard let w = winner else {
      Lockout.recordFailure(&user, now: now)
      return .rejected(replay: replay)
    }
    var a = user.authenticators[w.index]
    switch a.type {
    case .totp:
      a.lastStep = w.value
      a.drift = clampDrift(w.offset)
    case .hotp:
      a.counter = w.value &+ 1
    }
    a.lastUsedAt = now
    if activate {
      a.state = .active
      a.confirmedAt = now
    }
    user.authenticators[w.index] = a
    Lockout.recordSuccess(&user, now: now)
    return .accepted(authenticatorID: a.id, offset: w.offset)
  }

  /// Matches one authenticator's window. Returns the lowest unused matching step or
  /// counter (with its offset) and whether an already-used one matched.
  static func match(_ a: Authenticator, code: String, now: Int64, window: Int, lookAhead: Int)
    -> (match: (value: UInt64, offset: Int64)?, replay: Bool)
  {
    guard code.utf8.count == a.digits else { return (nil, false) }
    var found: (value: UInt64, offset: Int64)?
    var replay = false
    let generator = HOTP.Generator(secret: a.secret, algorithm: a.algorithm, digits: a.digits)
    let typed = Array(code.utf8)
    switch a.type {
    case .totp:
      let s = currentStep(now, a.period)
      for t in windowSteps(current: s, drift: a.drift, window: window) {
        let step = UInt64(t)
        guard generator.matches(typed, counter: step) else { continue }
        if let last = a.lastStep, step <= last {
          replay = true
        } else if found == nil {
          found = (step, t - s)
        }
      }
    case .hotp:
      // Counters stay below 2^63 (HOTP.maxCounter), so c + ahead cannot overflow; the
      // highest acceptable k leaves k + 1 <= maxCounter for the next unused counter.
      let c = min(a.counter, HOTP.maxCounter)
      let ahead = UInt64(lookAhead)
      let lo = c - min(c, ahead)  // the used counters just below c, for replay detection
      let hi = min(c + ahead, HOTP.maxCounter - 1)
      guard lo <= hi else { break }
      for k in lo...hi {
        guard generator.matches(typed, counter: k) else { continue }
        if k < c {
          replay = true
        } else if found == nil {
          found = (k, Int64(k - c))
        }
      }
    }
    return (found, replay)
  }

  // MARK: resync

  /// Re-aligns an authenticator from two consecutive codes (`users resync`).
  ///
  /// HOTP: finds the lowest `k` in `c ... c+1000` with code(k) = code1 and code(k+1) =
  /// code2 and sets the counter to `k+2`; the offset is `k - c`.
  /// TOTP: finds the `t` with `t+1` within ±2880 steps of the current step `s`, nearest
  /// first, with code(t) = code1, code(t+1) = code2 and `t+1` above `lastStep`; sets `lastStep = t+1`
  /// and the drift to `t+1 - s`, which is also the offset returned. A match further than
  /// `maxDrift` steps throws `resyncDriftTooLarge` (verify could not follow it; the
  /// device clock needs fixing) and changes nothing but the failure count.
  ///
  /// With `authenticatorID` nil the active authenticators are searched, or the pending
  /// ones when none is active. It is allowed on disabled users (an administrator's
  /// operation), but it is an attempt for the lockout (docs/guide.md, "Users"), because
  /// two codes that match are as good as one for guessing: a locked user throws
  /// `lockedOut` without its codes being checked, and that try counts as a further
  /// failure; no match (`resyncFailed`) or a match too far off (`resyncDriftTooLarge`) is
  /// a failure; a resync is a success and resets the count, like a verify. On every one
  /// of these throws `user` holds the recorded failure (inout is written back): the
  /// caller saves it. A malformed code (not 6 or 8 digits, two lengths, or no candidate
  /// of that length) is a wrong code: checked after the lock, it throws `malformedCode`
  /// with the failure recorded in `user`. An unknown id and no authenticator throw with
  /// `user` unchanged.
  public static func resync(_ user: inout User, authenticatorID: String?, code1: String, code2: String, now: Int64)
    throws -> (authenticatorID: String, offset: Int64)
  {
    let found = try resyncSearch(&user, authenticatorID: authenticatorID, code1: code1, code2: code2, now: now)
    Lockout.recordSuccess(&user, now: now)
    return found
  }

  /// Throws `lockedOut` without searching while locked; otherwise searches and records
  /// a failure on `resyncFailed` / `resyncDriftTooLarge`.
  static func resyncSearch(_ user: inout User, authenticatorID: String?, code1: String, code2: String, now: Int64)
    throws -> (authenticatorID: String, offset: Int64)
  {
    let first = normalised(code1)
    let second = normalised(code2)
    var candidates: [Int]
    if let id = authenticatorID {
      guard let i = user.authenticatorIndex(id: id) else { throw AccountsError.authenticatorNotFound(id) }
      candidates = [i]
    } else {
      candidates = user.authenticators.indices.filter { user.authenticators[$0].state == .active }
      if candidates.isEmpty { candidates = Array(user.authenticators.indices) }
      if candidates.isEmpty { throw AccountsError.noActiveAuthenticator(user.name) }
    }
    if case .locked(let until) = Lockout.admit(&user, now: now, allowDisabled: true) {
      throw AccountsError.lockedOut(user: user.name, until: until)
    }
    guard let first = first, let second = second else {
      Lockout.recordFailure(&user, now: now)
      throw AccountsError.malformedCode(shapeRule)
    }
    guard first.utf8.count == second.utf8.count else {
      Lockout.recordFailure(&user, now: now)
      throw AccountsError.malformedCode("the two codes must have the same number of digits")
    }
    if let rule = lengthProblem(first, user.authenticators, candidates) {
      Lockout.recordFailure(&user, now: now)
      throw AccountsError.malformedCode(rule)
    }
    do {
      return try resyncMatch(&user, candidates: candidates, first: first, second: second, now: now)
    } catch let e as AccountsError {
      Lockout.recordFailure(&user, now: now)
      throw e
    }
  }

  static func resyncMatch(_ user: inout User, candidates: [Int], first: String, second: String, now: Int64)
    throws -> (authenticatorID: String, offset: Int64)
  {
    for i in candidates {
      let a = user.authenticators[i]
      guard first.utf8.count == a.digits else { continue }
      let generator = HOTP.Generator(secret: a.secret, algorithm: a.algorithm, digits: a.digits)
      switch a.type {
      case .hotp:
        // k + 2 becomes the next unused counter, so k <= maxCounter - 2.
        let c = min(a.counter, HOTP.maxCounter)
        let hi = min(c + resyncHOTPLookAhead, HOTP.maxCounter - 2)
        guard c <= hi else { continue }
        var previous = generator.code(counter: c)
        for k in c...hi {
          let next = generator.code(counter: k + 1)
          if OTPCode.equal(previous, first) && OTPCode.equal(next, second) {
            user.authenticators[i].counter = k + 2
            return (a.id, Int64(k - c))
          }
          previous = next
        }
      case .totp:
        // Outward from the current step (0, -1, +1, -2, ...), so the first match is the
        // nearest; code2 is checked first, code1 only when code2 matched. Resync is an
        // administrator's operation on codes the administrator typed, so stopping early
        // gives nothing away.
        let s = currentStep(now, a.period)
        let (typedFirst, typedSecond) = (Array(first.utf8), Array(second.utf8))
        var best: Int64?
        search: for distance in 0...resyncTOTPSteps {
          for u in distance == 0 ? [s] : [s - distance, s + distance] where u >= 1 {
            let t = u - 1
            if let last = a.lastStep, UInt64(u) <= last { continue }
            guard generator.matches(typedSecond, counter: UInt64(u)) else { continue }
            if generator.matches(typedFirst, counter: UInt64(t)) {
              best = t
              break search
            }
          }
        }
        if let t = best {
          let offset = t + 1 - s
          guard abs(offset) <= Int64(maxDrift) else {
            throw AccountsError.resyncDriftTooLarge(steps: offset, seconds: offset * Int64(a.period))
          }
          user.authenticators[i].lastStep = UInt64(t + 1)
          user.authenticators[i].drift = Int32(offset)
          return (a.id, offset)
        }
      }
    }
    throw AccountsError.resyncFailed
  }

  // MARK: diagnose

  /// `users diagnose`: where does this code match? Searches ±1 day of steps (TOTP) or
  /// the counters `c-100 ... c+1000` (HOTP) of every authenticator, active or pending,
  /// with as many digits as the code. It never accepts a code and never moves replay
  /// state, but it counts as a failed attempt for the lockout, whatever it finds; while
  /// locked it is refused like `verify`. It also works for disabled users (an
  /// administrator's tool).
  public static func diagnose(_ user: inout User, code: String, now: Int64) throws -> DiagnoseResult {
    if user.authenticators.isEmpty { return .noAuthenticator }
    if case .locked(let until) = Lockout.admit(&user, now: now, allowDisabled: true) { return .locked(until: until) }
    let all = Array(user.authenticators.indices)
    guard let input = normalised(code) else {
      Lockout.recordFailure(&user, now: now)
      return .malformed(shapeRule)
    }
    if let rule = lengthProblem(input, user.authenticators, all) {
      Lockout.recordFailure(&user, now: now)
      return .malformed(rule)
    }

    var matches: [DiagnoseMatch] = []
    let typed = Array(input.utf8)
    for a in user.authenticators where a.digits == input.utf8.count {
      let pending = a.state == .pending
      let generator = HOTP.Generator(secret: a.secret, algorithm: a.algorithm, digits: a.digits)
      switch a.type {
      case .totp:
        let s = currentStep(now, a.period)
        let span = max(1, diagnoseSeconds / Int64(a.period))
        for t in max(0, s - span)...(s + span) {
          guard generator.matches(typed, counter: UInt64(t)) else { continue }
          let used = a.lastStep.map { UInt64(t) <= $0 } ?? false
          matches.append(
            DiagnoseMatch(
              authenticatorID: a.id, stepOffset: t - s, seconds: (t - s) * Int64(a.period), alreadyUsed: used,
              pending: pending))
        }
      case .hotp:
        let c = min(a.counter, HOTP.maxCounter)
        let lo = c - min(c, diagnoseHOTPBehind)
        let hi = min(c + diagnoseHOTPAhead, HOTP.maxCounter)
        for k in lo...hi {
          guard generator.matches(typed, counter: k) else { continue }
          let offset = k >= c ? Int64(k - c) : -Int64(c - k)
          matches.append(
            DiagnoseMatch(authenticatorID: a.id, stepOffset: offset, seconds: 0, alreadyUsed: k < c, pending: pending))
        }
      }
    }
    // Nearest first; a stable sort keeps the authenticators' order among equals.
    let ordered = matches.enumerated().sorted {
      let (l, r) = (abs($0.element.stepOffset), abs($1.element.stepOffset))
      return l != r ? l < r : $0.offset < $1.offset
    }.map { $0.element }
    Lockout.recordFailure(&user, now: now)
    return .matches(ordered)
  }

  // MARK: Helpers

  /// The rule a code that is not 6 or 8 digits breaks (said in messages and audit
  /// details instead of the code).
  public static let shapeRule = "code must be 6 or 8 digits"

  /// A code as typed: spaces are dropped, then it must be 6 or 8 ASCII digits.
  /// Throws `malformedCode` otherwise.
  public static func normalise(_ code: String) throws -> String {
    guard let n = normalised(code) else { throw AccountsError.malformedCode(shapeRule) }
    return n
  }

  /// `normalise` without throwing: nil when the code is not 6 or 8 digits.
  public static func normalised(_ code: String) -> String? {
    let compact = withoutSpaces(code)
    guard compact.utf8.count == 6 || compact.utf8.count == 8, isDigits(compact) else { return nil }
    return compact
  }

  /// A code as typed, its spaces dropped (`123 456`): the one place an OTP code is
  /// normalised (`normalised` checks its shape; SignIn also tells a 6 or 8 digit code
  /// from a recovery code with it). Recovery codes have their own forgiving reading
  /// (RecoveryCodes.normalise).
  public static func withoutSpaces(_ code: String) -> String {
    String(decoding: code.utf8.filter { $0 != UInt8(ascii: " ") }, as: UTF8.self)
  }

  /// Not empty, and ASCII digits only.
  public static func isDigits(_ code: String) -> Bool {
    !code.isEmpty && code.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
  }

  /// The rule broken when none of the candidates uses the code's length (no candidates:
  /// nothing to hold it against, so nil).
  static func lengthProblem(_ code: String, _ authenticators: [Authenticator], _ candidates: [Int]) -> String? {
    guard !candidates.isEmpty else { return nil }
    let n = code.utf8.count
    if candidates.contains(where: { authenticators[$0].digits == n }) { return nil }
    let lengths = Set(candidates.map { authenticators[$0].digits }).sorted().map(String.init)
    return "code must be \(lengths.joined(separator: " or ")) digits"
  }

  static func checkedWindow(_ options: VerifyOptions) throws -> Int {
    let w = options.window ?? defaultWindow
    guard (0...maxWindow).contains(w) else {
      throw AccountsError.invalidParameter("window must be 0 to \(maxWindow) steps")
    }
    return w
  }

  static func checkedLookAhead(_ options: VerifyOptions) throws -> Int {
    guard (0...maxHOTPLookAhead).contains(options.hotpLookAhead) else {
      throw AccountsError.invalidParameter("HOTP look-ahead must be 0 to \(maxHOTPLookAhead) counters")
    }
    return options.hotpLookAhead
  }

  /// The TOTP step at `now` as a signed value (times before 1970 count as step 0, times
  /// after 9999 as that year's end, `TimeArgument.range`), so step ± window ± drift and
  /// offset * period never overflow whatever clock value arrives.
  static func currentStep(_ now: Int64, _ period: UInt32) -> Int64 {
    let t = min(max(TimeArgument.range.lowerBound, now), TimeArgument.range.upperBound)
    return Int64(TOTP.step(at: t, period: max(1, period)))
  }

  /// The TOTP steps `verify` tries, ascending: `c-w ... c+w` around the centre
  /// `c = s + drift`, together with `s-w ... s+w` around the server's own step. The
  /// second range matters once a drift is remembered: a device whose clock has since been
  /// set right (NTP) would otherwise fall outside a window centred on its old error and
  /// stay refused until an administrator resyncs it. Steps below 0 do not exist.
  static func windowSteps(current s: Int64, drift: Int32, window: Int) -> [Int64] {
    let w = Int64(window)
    let c = s + Int64(drift)
    var steps: [Int64] = []
    steps.reserveCapacity(2 * (2 * window + 1))
    for t in max(0, min(s, c) - w)...max(0, max(s, c) + w) where abs(t - s) <= w || abs(t - c) <= w {
      steps.append(t)
    }
    return steps
  }

  static func clampDrift(_ offset: Int64) -> Int32 {
    Int32(min(Int64(maxDrift), max(-Int64(maxDrift), offset)))
  }
}
