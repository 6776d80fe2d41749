import ArgumentParser

extension MFACtl {
  struct VaultGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "vault",
      abstract: "Inspect the vault and manage its key slots.",
      subcommands: [
        VaultInfo.self, VaultPasswd.self, VaultAddKeyFile.self, VaultRemoveKeyFile.self, VaultRekey.self,
        VaultCheck.self,
      ])
  }
}
