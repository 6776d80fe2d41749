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
