// Challenge codes: the email/SMS path. `challenge send` issues a 6-digit code that the
// caller delivers out of band; `verify` accepts it (once) in place of an OTP code. Pure
// functions over `inout User`; the caller passes the clock and the hashing key (the
// vault subkey `Subkey.challenges`) and persists the changed user.
//
// Rules (docs/guide.md, "Challenge codes (email, SMS)"): 6 digits, valid 10 min (`ttl`),
// at most 3 tries each, at most 3 sent per user per 10 min, stored hashed. A challenge is
// live while `now < expiresAt` and `tries < maxTries`; expired and dead ones are dropped
// on the next write. The lockout is the caller's part: `verify` counts one attempt,
// whether the OTP check or the challenge check decides it.
//
// Section `.challenges` (extension tag 4) of the user record, format version 1,
// little-endian:
//
//   u8   version = 1
//   u16  live count, then each challenge:
//        8 bytes  id          ASCII, 8 lowercase hex characters (4 random bytes), unique
//        32 bytes hash        (no length prefix)
//        i64  createdAt       Unix seconds
//        i64  expiresAt       createdAt + 1 ... createdAt + 86400
//        u8   tries           wrong tries so far, 0...2 (one reaching 3 is removed)
//   u8   send count 0...3, then that many i64 send times (Unix seconds), ascending
//
// Send times are those within 10 min (`sendWindow`) of the last write. A state with no
// challenge and no send time is not stored (the section is removed), so a reader also
// rejects an empty one, besides any other version, a value outside the ranges above, a
// duplicate id, send times out of order, truncated data and trailing bytes.
//
// Hash of a code: BLAKE2b-256 (crypto_generichash, 32-byte output) keyed with the
// 32-byte subkey `challenges` (crypto_kdf id 8, context "mfactlv1") over
//
//   UTF-8(user id) || 0x00 || UTF-8(challenge id) || 0x00 || the 6 ASCII digits
import Sodium
import Vault

public struct Challenge: Equatable {
  /// 8 lowercase hex characters, unique among the user's live challenges.
  public var id: String
  /// `Challenges.hashLength` bytes.
  public var hash: [UInt8]
  /// Unix seconds.
  public var createdAt: Int64
  /// The code is refused from this second on.
  public var expiresAt: Int64
  /// Wrong tries so far; the challenge dies at `Challenges.maxTries`.
  public var tries: Int

  public init(id: String, hash: [UInt8], createdAt: Int64, expiresAt: Int64, tries: Int = 0) {
    self.id = id
    self.hash = hash
    self.createdAt = createdAt
    self.expiresAt = expiresAt
    self.tries = tries
  }

  /// Not expired and tries left.
  public func isLive(at now: Int64) -> Bool {
    now < expiresAt && tries < Challenges.maxTries
  }
}

public struct ChallengeState: Equatable {
  public static let version: UInt8 = 1
  /// Size of one stored challenge.
  static let challengeSize = 8 + Challenges.hashLength + 8 + 8 + 1

  public var live: [Challenge]
  /// Send times within the last `Challenges.sendWindow` seconds, ascending.
  public var sends: [Int64]

  public init(live: [Challenge] = [], sends: [Int64] = []) {
    self.live = live
    self.sends = sends
  }

  public var isEmpty: Bool { live.isEmpty && sends.isEmpty }

  /// The user's state, or nil when there is none. Throws DecodeError for a section that
  /// breaks the layout.
  public static func load(_ user: User) throws -> ChallengeState? {
    try user.section(.challenges) { try decode(&$0) }
  }

  /// Writes the state into `user.extensions`; an empty state removes the section. Dead
  /// challenges (tries at `maxTries`) are not written, and send times are written in
  /// ascending order. Anything else `load` could not read back (an id that is not 8
  /// lowercase hex characters or not unique, a hash of the wrong length, a lifetime
  /// outside 1...`maxTTL`, negative tries, more than `maxSends` send times) is a
  /// programming error and traps.
  public func store(into user: inout User) {
    let kept = live.filter { $0.tries < Challenges.maxTries }
    let times = sends.sorted()
    if let problem = Self.violation(kept, times) {
      preconditionFailure("refusing to store unreadable challenges: \(problem)")
    }
    user.setSection(.challenges) { w in
      if kept.isEmpty && times.isEmpty { return }
      w.u8(Self.version)
      w.u16(UInt16(kept.count))
      for c in kept {
        w.raw(Array(c.id.utf8))
        w.raw(c.hash)
        w.i64(c.createdAt)
        w.i64(c.expiresAt)
        w.u8(UInt8(c.tries))
      }
      w.u8(UInt8(times.count))
      for t in times { w.i64(t) }
    }
  }

  static func violation(_ live: [Challenge], _ sends: [Int64]) -> String? {
    if live.count > Int(UInt16.max) { return "too many challenges" }
    for i in live.indices {
      let c = live[i]
      if !Challenges.isID(Array(c.id.utf8)) { return "challenge id must be 8 lowercase hex characters" }
      for j in 0..<i where live[j].id == c.id { return "duplicate challenge id" }
      if c.hash.count != Challenges.hashLength { return "challenge hash of the wrong length" }
      if !Challenges.validLifetime(c.createdAt, c.expiresAt) { return "challenge lifetime out of range" }
      if c.tries < 0 { return "negative tries" }
    }
    if sends.count > Challenges.maxSends { return "more than \(Challenges.maxSends) send times" }
    return nil
  }

  static func decode(_ r: inout ByteReader) throws -> ChallengeState {
    let v = try r.u8()
    guard v == version else {
      throw DecodeError("unsupported challenge section version \(v) (this build reads version \(version))")
    }
    let count = Int(try r.u16())
    guard count <= r.remaining / challengeSize else { throw DecodeError("truncated data") }
    var live: [Challenge] = []
    live.reserveCapacity(count)
    for _ in 0..<count {
      let idBytes = try r.raw(8)
      guard Challenges.isID(idBytes) else { throw DecodeError("invalid challenge id") }
      let id = String(decoding: idBytes, as: UTF8.self)
      guard !live.contains(where: { $0.id == id }) else { throw DecodeError("duplicate challenge id") }
      let hash = try r.raw(Challenges.hashLength)
      let createdAt = try r.i64()
      let expiresAt = try r.i64()
      guard Challenges.validLifetime(createdAt, expiresAt) else { throw DecodeError("invalid challenge lifetime") }
      let tries = Int(try r.u8())
      guard tries < Challenges.maxTries else { throw DecodeError("invalid challenge tries") }
      live.append(Challenge(id: id, hash: hash, createdAt: createdAt, expiresAt: expiresAt, tries: tries))
    }
    let sendCount = Int(try r.u8())
    guard sendCount <= Challenges.maxSends else { throw DecodeError("invalid challenge send count") }
    var sends: [Int64] = []
    for _ in 0..<sendCount {
      let t = try r.i64()
      if let last = sends.last, t < last { throw DecodeError("challenge send times out of order") }
      sends.append(t)
    }
    guard !(live.isEmpty && sends.isEmpty) else { throw DecodeError("empty challenge section") }
    return ChallengeState(live: live, sends: sends)
  }

  /// Drops expired and dead challenges and send times older than the send window.
  mutating func prune(now: Int64) {
    live.removeAll { !$0.isLive(at: now) }
    sends.removeAll { !Challenges.isRecentSend($0, now: now) }
  }
}

public enum ChallengeIssue: Equatable {
  /// A new live challenge; `code` is shown or delivered once and never stored.
  case issued(code: String, challenge: Challenge)
  /// `maxSends` were sent within the window; the next send is possible at `until`.
  /// Nothing was changed.
  case rateLimited(until: Int64)
}

public enum Challenges {
  public static let ttl: Int64 = 600
  public static let maxTries = 3
  public static let maxSends = 3
  public static let sendWindow: Int64 = 600
  public static let maxTTL: Int64 = 86400
  public static let digits = 6
  public static let hashLength = 32

  /// Issues a challenge: 6 random digits (uniform, zero-padded), valid for `ttl`
  /// seconds (1...`maxTTL`, else `invalidParameter` and no change). Expired and dead
  /// challenges and send times older than `sendWindow` are pruned first; when
  /// `maxSends` remain, the send is refused with `.rateLimited(until:)` (the oldest
  /// send time plus `sendWindow`) and nothing is changed. Whether the user may receive
  /// a challenge at all (disabled, locked) is the caller's decision.
  public static func issue(_ user: inout User, key: SecureBytes, now: Int64, ttl: Int64 = ttl) throws -> ChallengeIssue
  {
    guard (1...maxTTL).contains(ttl) else {
      throw AccountsError.invalidParameter("challenge lifetime must be 1 to \(maxTTL) seconds")
    }
    guard now <= Int64.max - ttl else { throw AccountsError.invalidParameter("time out of range") }
    var state = try ChallengeState.load(user) ?? ChallengeState()
    state.prune(now: now)
    if state.sends.count >= maxSends {
      let oldest = state.sends.min()!
      return .rateLimited(until: oldest > Int64.max - sendWindow ? Int64.max : oldest + sendWindow)
    }
    var id = Sodium.randomHex(4)
    while state.live.contains(where: { $0.id == id }) { id = Sodium.randomHex(4) }
    let n = Sodium.randomUniform(1_000_000)
    let plain = String(n)
    let code = String(repeating: "0", count: digits - plain.utf8.count) + plain
    let challenge = Challenge(
      id: id, hash: hash(code, challengeID: id, userID: user.id, key: key), createdAt: now, expiresAt: now + ttl)
    state.live.append(challenge)
    state.sends.append(now)
    state.store(into: &user)
    return .issued(code: code, challenge: challenge)
  }

  /// BLAKE2b-256 keyed with `key` over UTF-8(userID) || 0x00 || UTF-8(challengeID) ||
  /// 0x00 || code.
  public static func hash(_ code: String, challengeID: String, userID: String, key: SecureBytes) -> [UInt8] {
    var message = Array(userID.utf8)
    message.append(0)
    message.append(contentsOf: challengeID.utf8)
    message.append(0)
    message.append(contentsOf: code.utf8)
    defer { Sodium.wipe(&message) }
    return Sodium.blake2b(message, key: key, length: hashLength)
  }

  /// For `verify`, after the OTP check failed: whether `code` (digits, as
  /// `Verifier.normalise` leaves them) matches a live challenge. It is compared with
  /// every live challenge in constant time, without stopping at a match. A match
  /// consumes that challenge (removed). No match: every live challenge gets one more
  /// try, and those reaching `maxTries` die. Expired and dead challenges and old send
  /// times are pruned on the way. With no live challenge nothing is compared and false
  /// comes back. The lockout is not touched: the caller counts the attempt once.
  public static func consume(_ user: inout User, code: String, key: SecureBytes, now: Int64) throws -> Bool {
    guard let loaded = try ChallengeState.load(user) else { return false }
    var state = loaded
    state.prune(now: now)
    var found = -1
    for i in state.live.indices {
      let c = state.live[i]
      var expected = hash(code, challengeID: c.id, userID: user.id, key: key)
      let equal = Sodium.constantTimeEqual(expected, c.hash)
      Sodium.wipe(&expected)
      if equal && found < 0 { found = i }
    }
    if found >= 0 {
      state.live.remove(at: found)
    } else {
      for i in state.live.indices { state.live[i].tries += 1 }
      state.live.removeAll { $0.tries >= maxTries }
    }
    if state != loaded { state.store(into: &user) }
    return found >= 0
  }

  /// Whether the user has a live challenge at `now`.
  public static func hasLive(_ user: User, now: Int64) throws -> Bool {
    try ChallengeState.load(user)?.live.contains { $0.isLive(at: now) } ?? false
  }

  /// Takes back a challenge just issued (its delivery failed): the challenge is removed,
  /// and so is its send time (one send time equal to its `createdAt`), so the failed
  /// send neither leaves a live code nor counts towards the send limit. An id that is
  /// not there changes nothing.
  public static func withdraw(_ user: inout User, id: String) throws {
    guard var state = try ChallengeState.load(user),
      let i = state.live.firstIndex(where: { $0.id == id })
    else { return }
    let c = state.live.remove(at: i)
    if let j = state.sends.lastIndex(of: c.createdAt) { state.sends.remove(at: j) }
    state.store(into: &user)
  }

  // MARK: Helpers

  static func isID(_ bytes: [UInt8]) -> Bool {
    bytes.count == 8 && bytes.allSatisfy(UserCodec.isLowerHex)
  }

  /// `createdAt < expiresAt <= createdAt + maxTTL`, without overflow.
  static func validLifetime(_ createdAt: Int64, _ expiresAt: Int64) -> Bool {
    let (d, overflow) = expiresAt.subtractingReportingOverflow(createdAt)
    return !overflow && d >= 1 && d <= maxTTL
  }

  /// A send at `time` still counts at `now` (`now - time < sendWindow`; a send time in
  /// the future, after the clock was set back, counts too).
  static func isRecentSend(_ time: Int64, now: Int64) -> Bool {
    let (d, overflow) = now.subtractingReportingOverflow(time)
    return overflow ? time > now : d < sendWindow
  }
}
