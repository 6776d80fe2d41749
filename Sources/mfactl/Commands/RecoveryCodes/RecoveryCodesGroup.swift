import Accounts
import ArgumentParser

extension MFACtl {
  struct RecoveryCodesGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "recovery-codes",
      abstract: "One-time codes for when a user cannot use their authenticator.",
      subcommands: [RecoveryGenerate.self, RecoveryStatus.self, RecoveryUse.self])
  }
}
