// The secret file of google-authenticator-libpam (`~/.google_authenticator`), read for
// `mfactl users import google-authenticator`. Pure: bytes in, values out, no I/O.
//
// Layout, as the `google-authenticator` tool writes it and pam_google_authenticator.so
// reads and rewrites it:
//
//   line 1        the shared secret, base32 (the tool writes 26 characters: 16 bytes)
//   `" NAME ...`  option lines:
//                   " TOTP_AUTH                 time-based (without it: counter-based)
//                   " HOTP_COUNTER n            counter-based; n >= 1 is the next counter
//                   " STEP_SIZE n               TOTP step in seconds, 1...60 (default 30)
//                   " WINDOW_SIZE n             codes accepted around now, 1...100 (default 3)
//                   " DISALLOW_REUSE [s ...]    refuse replays; the steps (time / step size,
//                                               skew included) of recently accepted codes
//                   " RATE_LIMIT n m [t ...]    n logins per m seconds; t: recent login times
//                   " TIME_SKEW n               learnt clock offset of the device, in steps
//                   " RESETTING_TIME_SKEW ...   the module's scratch state while it learns
//                                               a new skew (read and dropped)
//   scratch codes 8 digits, one a line, each good for one login
//
// Blank lines are skipped, CR before LF is tolerated, options and scratch codes may come
// in any order after the secret. Anything else (an unknown option, a value out of the
// module's own range, an option given twice, a line that is neither) is malformed and
// named by its line number: an import is all or nothing, so a file mfactl cannot map
// exactly is refused rather than guessed at.
//
// Scratch codes become a recovery code set. Recovery codes are 10 characters of
// Crockford base32 (RecoveryCodes.normalise), so a scratch code `12345678` is stored as
// the recovery code `00123-45678` ("00" and the eight digits; hash over "0012345678").
// Digits are Crockford symbols, so the user types the scratch code with "00" in front.
import OTP
import Sodium
import Vault

public struct GoogleAuthenticatorFile: Equatable {
  /// Largest file read (the module's own files are a few hundred bytes).
  public static let maxFileSize = 64 * 1024
  /// Scratch codes taken at most: the size limit of a recovery code set.
  public static let maxScratchCodes = RecoveryCodes.maxCount
  public static let stepSizeRange: ClosedRange<UInt32> = 1...60
  public static let windowSizeRange: ClosedRange<Int> = 1...100
  /// What `TIME_SKEW` may hold before it is clamped to `Verifier.maxDrift`.
  public static let maxTimeSkew = 1_000_000

  public struct RateLimit: Equatable {
    public var attempts: Int
    public var seconds: Int
    public init(attempts: Int, seconds: Int) {
      self.attempts = attempts
      self.seconds = seconds
    }
  }

  public var secret: [UInt8]
  public var type: OTPType
  /// TOTP step in seconds (STEP_SIZE, default 30).
  public var period: UInt32
  /// HOTP: the next unused counter (HOTP_COUNTER); 0 for TOTP.
  public var counter: UInt64
  /// WINDOW_SIZE, when given.
  public var windowSize: Int?
  public var rateLimit: RateLimit?
  /// TIME_SKEW in steps, when given (unclamped).
  public var timeSkew: Int?
  /// DISALLOW_REUSE was present.
  public var disallowReuse: Bool
  /// The steps listed after DISALLOW_REUSE (TOTP: codes of these steps were used).
  public var usedSteps: [UInt64]
  /// The 8-digit scratch codes, in file order, without duplicates.
  public var scratchCodes: [String]

  public init(
    secret: [UInt8], type: OTPType, period: UInt32 = 30, counter: UInt64 = 0, windowSize: Int? = nil,
    rateLimit: RateLimit? = nil, timeSkew: Int? = nil, disallowReuse: Bool = false, usedSteps: [UInt64] = [],
    scratchCodes: [String] = []
  ) {
    self.secret = secret
    self.type = type
    self.period = period
    self.counter = counter
    self.windowSize = windowSize
    self.rateLimit = rateLimit
    self.timeSkew = timeSkew
    self.disallowReuse = disallowReuse
    self.usedSteps = usedSteps
    self.scratchCodes = scratchCodes
  }

  // MARK: Mapping onto mfactl's state

  /// TOTP: the step the new authenticator's replay guard starts at (`lastStep`): the
  /// highest DISALLOW_REUSE step, so those codes (and earlier ones) are refused. Nil for
  /// HOTP and when no step is listed.
  public var lastStep: UInt64? { type == .totp ? usedSteps.max() : nil }

  /// TOTP: TIME_SKEW as mfactl's drift, clamped to ±`Verifier.maxDrift` steps.
  public var drift: Int32 {
    guard type == .totp, let s = timeSkew else { return 0 }
    return Int32(max(-Int(Verifier.maxDrift), min(Int(Verifier.maxDrift), s)))
  }

  /// The recovery code (normalised, 10 characters) a scratch code is stored as.
  public static func recoveryForm(ofScratchCode code: String) -> String { "00" + code }

  /// The scratch codes as the user's recovery code set (hashes as RecoveryCodes.hash
  /// computes them for `recoveryForm`), or nil when the file has none.
  public func recoveryCodeSet(userID: String, key: SecureBytes, now: Int64) -> RecoveryCodeSet? {
    guard !scratchCodes.isEmpty else { return nil }
    let hashes = scratchCodes.map { RecoveryCodes.hash(Self.recoveryForm(ofScratchCode: $0), userID: userID, key: key) }
    return RecoveryCodeSet(generatedAt: now, hashes: hashes, total: hashes.count)
  }

  /// What the import records about the file (no secret, no code).
  public var auditDetail: [String: String] {
    var d: [String: String] = ["source": "google-authenticator", "type": type.rawValue]
    if type == .totp { d["period"] = String(period) } else { d["counter"] = String(counter) }
    if let w = windowSize { d["window_size"] = String(w) }
    if let r = rateLimit { d["rate_limit"] = "\(r.attempts)/\(r.seconds)s" }
    if let s = timeSkew { d["time_skew"] = String(s) }
    d["disallow_reuse"] = String(disallowReuse)
    if let l = lastStep { d["last_step"] = String(l) }
    d["scratch_codes"] = String(scratchCodes.count)
    return d
  }

  // MARK: Parsing

  public struct ParseError: Error, Equatable, CustomStringConvertible {
    /// 1-based; 0 for the file as a whole.
    public var line: Int
    public var message: String
    /// Parts of the message come from the file: unsafe characters in it are escaped
    /// (`UnsafeDisplayText`) so a crafted file cannot drive the terminal that shows it.
    public init(line: Int, _ message: String) {
      self.line = line
      var safe = String.UnicodeScalarView()
      for u in message.unicodeScalars {
        if UnsafeDisplayText.isUnsafe(u) {
          safe.append(contentsOf: ("\\u{" + String(u.value, radix: 16) + "}").unicodeScalars)
        } else {
          safe.append(u)
        }
      }
      self.message = String(safe)
    }
    public var description: String { line > 0 ? "line \(line): \(message)" : message }
  }

  /// Parses a whole file; throws `ParseError` naming the first bad line.
  public init(parsing bytes: [UInt8]) throws {
    guard bytes.count <= Self.maxFileSize else {
      throw ParseError(line: 0, "file is larger than \(Self.maxFileSize) bytes: not a google-authenticator secret file")
    }
    guard !bytes.contains(0) else {
      throw ParseError(line: 0, "file contains NUL bytes: not a google-authenticator secret file")
    }
    var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { line -> ArraySlice<UInt8> in
      line.last == 13 ? line.dropLast() : line
    }
    if lines.last?.isEmpty == true { lines.removeLast() }
    guard let first = lines.first, !first.isEmpty else { throw ParseError(line: 1, "expected the base32 secret") }

    // Line 1: the secret. The module decodes it leniently; mfactl's decoder also ignores
    // spaces and hyphens and the case, and refuses anything else.
    guard let secretText = String(validating: first, as: UTF8.self) else {
      throw ParseError(line: 1, "secret is not text")
    }
    var secret: [UInt8]
    do { secret = try Base32.decode(secretText) } catch let e as OTPError {
      throw ParseError(line: 1, "secret is not valid base32 (\(e.description))")
    }
    guard secret.count >= Enrolment.minSecretLength else {
      Sodium.wipe(&secret)
      throw ParseError(line: 1, "secret is \(secret.count) bytes; at least \(Enrolment.minSecretLength) are needed")
    }
    guard secret.count <= Enrolment.maxSecretLength else {
      Sodium.wipe(&secret)
      throw ParseError(line: 1, "secret is longer than \(Enrolment.maxSecretLength) bytes")
    }

    var seen: [String: Int] = [:]
    var totp = false
    var counter: UInt64? = nil
    var step: UInt32? = nil
    var window: Int? = nil
    var rate: RateLimit? = nil
    var skew: Int? = nil
    var disallow = false
    var used: [UInt64] = []
    var scratch: [String] = []
    var scratchSeen = Set<String>()

    do {
      for (i, raw) in lines.enumerated().dropFirst() {
        let n = i + 1
        guard let text = String(validating: raw, as: UTF8.self) else { throw ParseError(line: n, "not text") }
        let line = Self.trim(text)
        if line.isEmpty { continue }
        if line.hasPrefix("\"") {
          let words = line.dropFirst().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
          guard let name = words.first else { throw ParseError(line: n, "empty option line") }
          let args = Array(words.dropFirst())
          if let earlier = seen[name] {
            throw ParseError(line: n, "option \(name) given twice (also on line \(earlier))")
          }
          seen[name] = n
          func number(_ s: String, _ range: ClosedRange<Int>, _ what: String) throws -> Int {
            guard let v = Self.decimal(s), range.contains(v) else {
              throw ParseError(
                line: n, "\(name): \(what) must be a number from \(range.lowerBound) to \(range.upperBound), not '\(s)'"
              )
            }
            return v
          }
          func arity(_ k: Int) throws {
            guard args.count == k else {
              throw ParseError(
                line: n, k == 0 ? "\(name) takes no value" : "\(name) takes \(k) value\(k == 1 ? "" : "s")")
            }
          }
          switch name {
          case "TOTP_AUTH":
            try arity(0)
            totp = true
          case "HOTP_COUNTER":
            try arity(1)
            // Digits only (UInt64 would take "+5"); at most HOTP.maxCounter (2^63 - 1).
            guard args[0].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let v = UInt64(args[0]), v >= 1,
              v <= HOTP.maxCounter
            else {
              throw ParseError(line: n, "HOTP_COUNTER must be a counter of at least 1, not '\(args[0])'")
            }
            counter = v
          case "STEP_SIZE":
            try arity(1)
            step = UInt32(
              try number(args[0], Int(Self.stepSizeRange.lowerBound)...Int(Self.stepSizeRange.upperBound), "the step"))
          case "WINDOW_SIZE":
            try arity(1)
            window = try number(args[0], Self.windowSizeRange, "the window")
          case "RATE_LIMIT":
            guard args.count >= 2 else {
              throw ParseError(line: n, "RATE_LIMIT takes at least 2 values (logins and seconds)")
            }
            let attempts = try number(args[0], 1...100, "the number of logins")
            let seconds = try number(args[1], 1...3600, "the interval")
            // Then the times of recent logins, which only the module's limiter uses.
            for t in args.dropFirst(2) where Self.decimal(t) == nil {
              throw ParseError(line: n, "RATE_LIMIT: '\(t)' is not a time")
            }
            rate = RateLimit(attempts: attempts, seconds: seconds)
          case "DISALLOW_REUSE":
            disallow = true
            for s in args {
              guard let v = Self.decimal(s) else {
                throw ParseError(line: n, "DISALLOW_REUSE: '\(s)' is not a time step")
              }
              used.append(UInt64(v))
            }
          case "TIME_SKEW":
            try arity(1)
            guard let v = Self.signedDecimal(args[0]), abs(v) <= Self.maxTimeSkew else {
              throw ParseError(line: n, "TIME_SKEW must be a whole number of steps, not '\(args[0])'")
            }
            skew = v
          case "RESETTING_TIME_SKEW":
            break  // The module's progress while learning a new skew: nothing to keep.
          default:
            throw ParseError(line: n, "unknown option \(name)")
          }
        } else {
          guard line.utf8.count == 8, line.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw ParseError(line: n, "expected an option line (\" NAME ...) or an 8-digit scratch code")
          }
          if scratchSeen.insert(line).inserted { scratch.append(line) }
          guard scratch.count <= Self.maxScratchCodes else {
            throw ParseError(line: n, "more than \(Self.maxScratchCodes) scratch codes")
          }
        }
      }
      if totp && counter != nil {
        throw ParseError(
          line: seen["HOTP_COUNTER"]!, "both TOTP_AUTH and HOTP_COUNTER: the file is neither time- nor counter-based")
      }
      if !totp && counter == nil {
        throw ParseError(
          line: 0, "neither TOTP_AUTH nor HOTP_COUNTER: the file sets up no verification code (scratch codes only)")
      }
    } catch {
      Sodium.wipe(&secret)
      throw error
    }
    self.init(
      secret: secret, type: totp ? .totp : .hotp, period: step ?? 30, counter: counter ?? 0, windowSize: window,
      rateLimit: rate, timeSkew: skew, disallowReuse: disallow, usedSteps: used, scratchCodes: scratch)
  }

  static func trim(_ s: String) -> String {
    var t = Substring(s)
    while let f = t.first, f == " " || f == "\t" { t = t.dropFirst() }
    while let l = t.last, l == " " || l == "\t" { t = t.dropLast() }
    return String(t)
  }

  /// A non-negative decimal that fits an Int (digits only).
  static func decimal(_ s: String) -> Int? {
    guard !s.isEmpty, s.utf8.count <= 18, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return Int(s)
  }

  /// An optionally signed decimal ("-3", "+2", "4").
  static func signedDecimal(_ s: String) -> Int? {
    if s.hasPrefix("-") { return decimal(String(s.dropFirst())).map { -$0 } }
    if s.hasPrefix("+") { return decimal(String(s.dropFirst())) }
    return decimal(s)
  }
}
