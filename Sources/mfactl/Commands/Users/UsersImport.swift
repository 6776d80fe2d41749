import ArgumentParser

struct UsersImport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Import authenticators in bulk.",
    subcommands: [UsersImportURIs.self, UsersImportGoogleAuthenticator.self])
}
