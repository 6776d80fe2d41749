// The JSON shape of every object kind, in one place: a user, authenticator, session,
// device, recovery status, challenge, event, backup or key slot printed by any command
// comes from one function here, so it has the same fields and types everywhere
// (docs/json/README.md, "Conventions"). The shapes are written down in
// docs/json/*.schema.json and the tests validate every command's output against them
// (Tests/CLITests/JSONSchemaTests.swift).
//
// Conventions: `id` is the item's own id (a string); `user`, `session`, `device`,
// `authenticator` refer to another item (`user` is always the user name); times are
// RFC 3339 UTC strings or null; durations are integer seconds in fields ending `_s`;
// counts are numbers; lists are arrays. A command that prints more than the object
// adds its own fields after the object's (docs/json/README.md).
import Accounts
import Sodium
import Vault

enum ObjectJSON {
  /// A user with everything `users show` tells: its authenticators (objects), policy,
  /// and how many recovery codes, live devices and live sessions it has.
  static func user(_ u: User, now: Int64) -> [(String, JSON)] {
    let policy = (try? UserPolicy.load(u)) ?? UserPolicy(requireMFA: false, role: nil)
    return [
      ("id", .string(u.id)), ("name", .string(u.name)), ("state", .string(stateWord(u, now: now))),
      ("authenticators", .array(u.authenticators.map { .object(authenticator($0, user: u.name)) })),
      ("failures", .int(Int64(u.failures))),
      ("locked_until", .time(u.lockedUntil.flatMap { $0 > now ? $0 : nil })), ("created", .time(u.createdAt)),
      ("last_success", .time(u.lastSuccessAt)), ("role", .str(policy.role)), ("require_mfa", .bool(policy.requireMFA)),
      ("recovery_codes_remaining", .int(Int64((try? RecoveryCodes.remaining(u)) ?? 0))),
      ("devices_live", .int(Int64(((try? Devices.load(u)) ?? []).filter { $0.isLive(at: now) }.count))),
      ("sessions_live", .int(Int64(((try? Sessions.load(u)) ?? []).filter { $0.isLive(at: now) }.count))),
    ]
  }

  /// An authenticator, never its secret (`enrol` adds `secret` and `uri` itself).
  static func authenticator(_ a: Authenticator, user: String) -> [(String, JSON)] {
    [
      ("id", .string(a.id)), ("user", .string(user)), ("state", .string(a.isActive ? "active" : "pending")),
      ("type", .string(a.type.rawValue)), ("algorithm", .string(a.algorithm.rawValue)),
      ("digits", .int(Int64(a.digits))),
      ("period_s", a.type == .totp ? .int(Int64(a.period)) : .null),
      ("counter", a.type == .hotp ? .int(Int64(a.counter)) : .null),
      ("issuer", .str(a.issuer)), ("label", .str(a.label)), ("created", .time(a.createdAt)),
      ("confirmed", .time(a.confirmedAt)), ("last_used", .time(a.lastUsedAt)),
      ("drift_steps", a.type == .totp ? .int(Int64(a.drift)) : .null),
    ]
  }

  /// A session, never its token. `device_name` is the name given with
  /// `verify --trust-device` when the session was made with it.
  static func session(_ s: Session, user: String) -> [(String, JSON)] {
    [
      ("id", .string(s.id)), ("user", .string(user)), ("created", .time(s.createdAt)),
      ("last_seen", .time(s.lastSeenAt)),
      ("expires", .time(s.expiresAt)), ("idle_timeout_s", .num(s.idleTimeout)), ("remember", .bool(s.remember)),
      ("ip", .str(s.ip)), ("user_agent", .str(s.userAgent)), ("device_name", .str(s.deviceName)),
    ]
  }

  /// A trusted device, never its token.
  static func device(_ d: TrustedDevice, user: String) -> [(String, JSON)] {
    [
      ("id", .string(d.id)), ("user", .string(user)), ("name", .string(d.name)), ("created", .time(d.createdAt)),
      ("last_used", .time(d.lastUsedAt)), ("expires", .time(d.expiresAt)), ("ip", .str(d.ip)),
      ("user_agent", .str(d.userAgent)),
    ]
  }

  /// A user's recovery codes: how many are left of how many, never the codes.
  static func recoveryStatus(_ set: RecoveryCodeSet?, user: String) -> [(String, JSON)] {
    [
      ("user", .string(user)), ("remaining", .int(Int64(set?.hashes.count ?? 0))),
      ("total", .int(Int64(set?.total ?? 0))),
      ("generated", .time(set?.generatedAt)), ("last_used", .time(set?.lastUsedAt)),
    ]
  }

  /// A challenge (out-of-band code): `code` only when it went to stdout, else null.
  static func challenge(_ c: Challenge, user: String, code: String?) -> [(String, JSON)] {
    [
      ("id", .string(c.id)), ("user", .string(user)), ("created", .time(c.createdAt)), ("expires", .time(c.expiresAt)),
      ("delivered", .bool(code == nil)), ("code", .str(code)),
    ]
  }

  /// An audit event. `id` is the event's sequence number as a string; `user` the name
  /// (null for vault events and erased users), `user_id` the id events are kept under;
  /// detail values are strings, times among them RFC 3339.
  static func event(_ e: AuditEntry, names: [String: String]) -> [(String, JSON)] {
    [
      ("id", .string(String(e.seq))), ("time", .time(e.time)), ("event", .string(e.name)),
      ("outcome", .string(e.outcome.rawValue)), ("user", .str(e.userID.flatMap { names[$0] })),
      ("user_id", .str(e.userID)), ("actor", .string(e.actor)), ("ip", .str(e.ip)), ("user_agent", .str(e.userAgent)),
      ("clock_overridden", .bool(e.clockOverridden)),
      ("detail", .object(e.displayDetail.map { ($0.key, .string($0.value)) })),
    ]
  }

  /// A backup file. What only decrypting it tells (users, records, sizes inside,
  /// protection) is null when it was not decrypted; `verified` is true when this
  /// command checked it completely, false when the check failed (`problem` says why),
  /// null when it was not checked.
  struct BackupFacts {
    var path: String
    var created: Int64?
    var size: Int
    var vaultID: [UInt8]?
    var users: Int? = nil
    var records: Int? = nil
    var vaultSize: Int? = nil
    var auditSize: Int? = nil
    var separatePassphrase: Bool? = nil
    var verified: Bool? = nil
    var problem: String? = nil
  }

  static func backup(_ b: BackupFacts) -> [(String, JSON)] {
    [
      ("id", .string(baseName(b.path))), ("path", .string(b.path)), ("created", .time(b.created)),
      ("size", .int(Int64(b.size))), ("vault_id", .str(b.vaultID.map { Sodium.hex($0) })), ("users", .num(b.users)),
      ("records", .num(b.records)), ("vault_size", .num(b.vaultSize)), ("audit_size", .num(b.auditSize)),
      ("protection", .str(b.separatePassphrase.map { $0 ? "backup-passphrase" : "vault-keys" })),
      ("verified", b.verified.map { .bool($0) } ?? .null), ("problem", .str(b.problem)),
    ]
  }

  /// A backup that was decrypted and checked completely.
  static func backup(_ c: Backup.Contents, users: Int) -> [(String, JSON)] {
    backup(
      BackupFacts(
        path: c.path, created: c.created, size: c.size, vaultID: c.vaultHeader.vaultID, users: users,
        records: c.recordCount, vaultSize: c.vaultBytes.count, auditSize: c.auditBytes.count,
        separatePassphrase: c.separateKeySlots, verified: true))
  }

  /// The vault's key slots. `id` is the slot's position in the header (as a string);
  /// passphrase slots have the KDF and its cost, key-file slots the key's fingerprint.
  static func keySlots(_ slots: [KeySlot]) -> JSON {
    .array(
      slots.enumerated().map { i, s in
        let passphrase = s.kind == .passphrase
        return .object([
          ("id", .string(String(i))), ("kind", .string(s.kind.name)),
          ("kdf", passphrase ? .string("argon2id13") : .null),
          ("opslimit", passphrase ? .int(Int64(s.opsLimit)) : .null),
          ("memlimit", passphrase ? .int(Int64(s.memLimit)) : .null),
          ("fingerprint", passphrase ? .null : .string(s.fingerprintHex)),
        ])
      })
  }

  static func baseName(_ path: String) -> String {
    path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
  }
}
