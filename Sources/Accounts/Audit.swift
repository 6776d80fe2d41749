// What an audit event says, as stored in the audit log (docs/FORMAT.md, "Audit log";
// the log's chaining and encryption are the Vault module's). Events name users by id
// only: the mapping from id to name lives in the vault (user records, and `name/<id>`
// records of removed users), so `users erase` pseudonymises a user's history by
// deleting that mapping while every record stays verifiable.
import Vault

/// One decoded audit event.
public struct AuditEntry: Equatable {
  public var seq: UInt64
  public var time: Int64
  /// The clock was `$MFACTL_NOW`, not the system clock.
  public var clockOverridden: Bool
  public var actor: String
  public var userID: String?
  public var name: String
  public var outcome: AccountEvent.Outcome
  public var ip: String?
  public var userAgent: String?
  /// Sorted by key.
  public var detail: [(key: String, value: String)]

  public static func == (a: AuditEntry, b: AuditEntry) -> Bool {
    a.seq == b.seq && a.time == b.time && a.clockOverridden == b.clockOverridden && a.actor == b.actor
      && a.userID == b.userID && a.name == b.name && a.outcome == b.outcome && a.ip == b.ip
      && a.userAgent == b.userAgent
      && a.detail.map { $0.key } == b.detail.map { $0.key } && a.detail.map { $0.value } == b.detail.map { $0.value }
  }
}

/// Event plaintext, format 1:
///
///     u8   version = 1
///     i64  time (Unix seconds)
///     u8   clock overridden (0/1)
///     str  actor
///     opt  str user id
///     str  event name
///     u8   outcome: 0 success, 1 failure
///     opt  str ip
///     opt  str user agent
///     u16  detail count, then (str key, str value) pairs, keys strictly increasing
public enum AuditCodec {
  public static let version: UInt8 = 1

  public static func encode(_ e: AccountEvent, actor: Actor, time: Int64, clockOverridden: Bool) -> [UInt8] {
    var w = ByteWriter(capacity: 128)
    w.u8(version)
    w.i64(time)
    w.bool(clockOverridden)
    w.string(actor.name)
    w.optional(e.userID) { $0.string($1) }
    w.string(e.name)
    w.u8(e.outcome == .success ? 0 : 1)
    w.optional(actor.ip) { $0.string($1) }
    w.optional(actor.userAgent) { $0.string($1) }
    let detail = e.detail.sorted { $0.key < $1.key }
    w.u16(UInt16(min(detail.count, Int(UInt16.max))))
    for (k, v) in detail.prefix(Int(UInt16.max)) {
      w.string(k)
      w.string(v)
    }
    return w.bytes
  }

  public static func decode(seq: UInt64, _ plaintext: [UInt8]) throws -> AuditEntry {
    try plaintext.withUnsafeBytes { raw in
      var r = ByteReader(raw)
      guard try r.u8() == version else { throw DecodeError("unknown audit event version") }
      let time = try r.i64()
      let overridden = try r.bool()
      let actor = try r.string(limit: 65536)
      let userID = try r.optional { try $0.string() }
      let name = try r.string()
      let outcome: AccountEvent.Outcome
      switch try r.u8() {
      case 0: outcome = .success
      case 1: outcome = .failure
      default: throw DecodeError("bad outcome")
      }
      let ip = try r.optional { try $0.string(limit: 65536) }
      let ua = try r.optional { try $0.string(limit: 65536) }
      var detail: [(key: String, value: String)] = []
      for _ in 0..<Int(try r.u16()) {
        let k = try r.string(limit: 65536)
        if let last = detail.last, last.key >= k { throw DecodeError("detail keys out of order") }
        detail.append((k, try r.string(limit: 65536)))
      }
      try r.expectEnd()
      return AuditEntry(
        seq: seq, time: time, clockOverridden: overridden, actor: actor, userID: userID, name: name, outcome: outcome,
        ip: ip, userAgent: ua, detail: detail)
    }
  }
}

/// Filters of `audit list` and `audit export`.
public struct AuditFilter {
  /// Events about any of these users (a name reused after removal has several ids).
  public var userIDs: Set<String>?
  public var event: String?
  public var since: Int64?
  public var until: Int64?
  public var failuresOnly = false

  public init(
    userIDs: Set<String>? = nil, event: String? = nil, since: Int64? = nil, until: Int64? = nil,
    failuresOnly: Bool = false
  ) {
    self.userIDs = userIDs
    self.event = event
    self.since = since
    self.until = until
    self.failuresOnly = failuresOnly
  }

  /// `event` matches a name exactly, or a prefix ending in '.' or '*' (`verify.` or
  /// `verify*` match every verify event); a name without either also matches the
  /// events under it (`verify` matches `verify.success`, not `verifying`), since no
  /// event is named just `verify` and a plain word finding nothing was a trap.
  public func matches(_ e: AuditEntry) -> Bool {
    if let ids = userIDs, !(e.userID.map(ids.contains) ?? false) { return false }
    if let ev = event {
      if ev.hasSuffix("*") {
        guard e.name.hasPrefix(String(ev.dropLast())) else { return false }
      } else if ev.hasSuffix(".") {
        guard e.name.hasPrefix(ev) else { return false }
      } else if e.name != ev && !e.name.hasPrefix(ev + ".") {
        return false
      }
    }
    if let s = since, e.time < s { return false }
    if let u = until, e.time > u { return false }
    if failuresOnly && e.outcome != .failure { return false }
    return true
  }
}

/// Times as the contract takes them: RFC 3339 (UTC `Z` or an offset) or Unix seconds.
public enum TimeArgument {
  /// Times mfactl takes: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z (RFC 3339's
  /// four-digit years). Anything outside is refused, so later arithmetic on times
  /// (`now - 86400`, `t + ttl`, steps) cannot overflow.
  public static let range: ClosedRange<Int64> = 0...253_402_300_799

  /// nil for text that is neither form, or a time outside `range`.
  public static func parse(_ text: String) -> Int64? {
    guard let t = parseUnchecked(text), range.contains(t) else { return nil }
    return t
  }

  static func parseUnchecked(_ text: String) -> Int64? {
    if !text.isEmpty && text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return Int64(text) }
    // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM), also with a space or lowercase t/z.
    let c = Array(text.utf8)
    func num(_ from: Int, _ len: Int) -> Int64? {
      guard from + len <= c.count else { return nil }
      var v: Int64 = 0
      for i in from..<(from + len) {
        guard c[i] >= 0x30 && c[i] <= 0x39 else { return nil }
        v = v * 10 + Int64(c[i] - 0x30)
      }
      return v
    }
    guard c.count >= 20, let y = num(0, 4), c[4] == 0x2D, let mo = num(5, 2), c[7] == 0x2D, let d = num(8, 2),
      [0x54, 0x74, 0x20].contains(c[10]), let h = num(11, 2), c[13] == 0x3A, let mi = num(14, 2), c[16] == 0x3A,
      let s = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
    else { return nil }
    var i = 19
    if i < c.count && c[i] == 0x2E {
      i += 1
      let start = i
      while i < c.count && c[i] >= 0x30 && c[i] <= 0x39 { i += 1 }
      guard i > start else { return nil }
    }
    var offset: Int64 = 0
    guard i < c.count else { return nil }
    if c[i] == 0x5A || c[i] == 0x7A {
      i += 1
    } else if c[i] == 0x2B || c[i] == 0x2D, let oh = num(i + 1, 2), c.count > i + 3, c[i + 3] == 0x3A,
      let om = num(i + 4, 2)
    {
      offset = (oh * 3600 + om * 60) * (c[i] == 0x2B ? 1 : -1)
      i += 6
    } else {
      return nil
    }
    guard i == c.count else { return nil }
    // Days from civil (proleptic Gregorian), as in Howard Hinnant's algorithm.
    let yy = mo <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let mp = (mo + 9) % 12
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    return days * 86400 + h * 3600 + mi * 60 + s - offset
  }
}

extension AuditEntry {
  /// Detail keys whose values are times, recorded as Unix seconds (`verify.locked`
  /// until, `backup.restored` backup_created).
  public static let timeDetailKeys: [String] = ["until", "backup_created"]

  /// The detail as shown by `audit list`/`export` and in JSON: times as RFC 3339 UTC,
  /// like every other time mfactl prints (docs/json/README.md, "Conventions"); the stored
  /// event keeps its bytes, so the chain still verifies.
  public var displayDetail: [(key: String, value: String)] {
    detail.map { d in
      guard Self.timeDetailKeys.contains(d.key), let t = Int64(d.value) else { return d }
      return (d.key, UTCTime.format(t))
    }
  }
}
