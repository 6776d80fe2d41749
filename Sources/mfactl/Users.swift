import Accounts
import ArgumentParser

extension MFACtl {
  struct Users: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List, inspect and manage users.",
      subcommands: [
        UsersList.self, UsersShow.self, UsersDisable.self, UsersEnable.self, UsersUnlock.self, UsersRemove.self,
        UsersResync.self, UsersDiagnose.self, UsersImport.self, UsersSet.self, UsersExport.self, UsersExportURI.self, UsersErase.self,
      ])
  }
}

/// The state word shown for a user: disabled, locked, active, pending or none.
func stateWord(_ u: User, now: Int64) -> String {
  if u.disabled { return "disabled" }
  if u.isLocked(at: now) { return "locked" }
  if u.hasActiveAuthenticator { return "active" }
  if u.hasPendingAuthenticator { return "pending" }
  return "none"
}

func userJSON(_ u: User, now: Int64, details: Bool) -> JSON {
  let policy = (try? UserPolicy.load(u)) ?? UserPolicy(requireMFA: false, role: nil)
  var fields: [(String, JSON)] = [
    ("id", .string(u.id)), ("name", .string(u.name)), ("state", .string(stateWord(u, now: now))),
    ("authenticators", .int(Int64(u.authenticators.count))), ("failures", .int(Int64(u.failures))),
    ("locked_until", .time(u.lockedUntil.flatMap { $0 > now ? $0 : nil })), ("created", .time(u.createdAt)),
    ("last_success", .time(u.lastSuccessAt)), ("role", .str(policy.role)), ("require_mfa", .bool(policy.requireMFA)),
  ]
  if details {
    fields += [
      ("recovery_codes", .int(Int64((try? RecoveryCodes.remaining(u)) ?? 0))),
      ("devices", .int(Int64(((try? Devices.load(u)) ?? []).filter { $0.isLive(at: now) }.count))),
      ("sessions", .int(Int64(((try? Sessions.load(u)) ?? []).filter { $0.isLive(at: now) }.count))),
    ]
  }
  if details {
    fields[3] = (
      "authenticators",
      .array(
        u.authenticators.map { a in
          .object([
            ("id", .string(a.id)), ("state", .string(a.isActive ? "active" : "pending")), ("type", .string(a.type.rawValue)),
            ("algorithm", .string(a.algorithm.rawValue)), ("digits", .int(Int64(a.digits))),
            ("period", a.type == .totp ? .int(Int64(a.period)) : .null), ("issuer", .str(a.issuer)),
            ("label", .str(a.label)), ("created", .time(a.createdAt)), ("confirmed", .time(a.confirmedAt)),
            ("last_used", .time(a.lastUsedAt)),
            ("drift_steps", a.type == .totp ? .int(Int64(a.drift)) : .null),
            ("counter", a.type == .hotp ? .int(Int64(a.counter)) : .null),
          ])
        }))
  }
  return .object(fields)
}

/// Loads a user under the exclusive lock, lets `change` modify it, saves it with the
/// event it returns (nil: nothing to write), and commits.
func changeUser(
  _ ctx: Context, _ name: String, _ change: (inout User, AccountStore) throws -> AccountEvent?
) throws -> User {
  let store = try ctx.openStore(write: true)
  var u = try store.user(name)
  if let event = try change(&u, store) {
    try store.save(u, event: event)
    try store.commit()
  }
  return u
}
