import Accounts
import ArgumentParser

extension MFACtl {
  struct Users: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List, inspect and manage users.",
      subcommands: [
        UsersList.self, UsersShow.self, UsersDisable.self, UsersEnable.self, UsersUnlock.self, UsersRemove.self,
        UsersResync.self, UsersDiagnose.self, UsersImport.self, UsersSet.self, UsersExport.self, UsersExportURI.self,
        UsersErase.self,
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

/// `users disable`, `enable` and `unlock`: one change through `ChangeUser`, then one line
/// (`NAME is disabled`) or one JSON object (the user and the field that changed).
func runUserChange(
  _ options: GlobalOptions, user: String, _ change: ChangeUser.Change, json: (String, JSON), text: String
) throws {
  try Report.catching {
    let ctx = Context(options: options)
    let u = try ChangeUser.run(try ctx.openStore(write: true), ChangeUser.Input(user: user, change: change)).user
    if options.json {
      ctx.printer.json(.object([("user", .string(u.name)), json]))
    } else {
      ctx.printer.line("\(u.name) \(text)")
    }
  }
}
