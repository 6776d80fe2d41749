import Accounts
import Vault
import ArgumentParser

extension MFACtl {
  struct RecoveryCodesGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "recovery-codes",
      abstract: "One-time codes for when a user cannot use their authenticator.",
      subcommands: [RecoveryGenerate.self, RecoveryStatus.self, RecoveryUse.self])
  }
}

/// The keys sign-in needs, from the open vault when a code needs them.
func signInKeys(_ store: AccountStore) throws -> SignInKeys {
  SignInKeys(recovery: { try store.vault.subkey(.recoveryCodes) }, challenges: { try store.vault.subkey(.challenges) })
}
