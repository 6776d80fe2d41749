import ArgumentParser

extension MFACtl {
  struct ChallengeGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "challenge",
      abstract: "Out-of-band codes (email, SMS) that verify accepts.",
      subcommands: [ChallengeSend.self])
  }
}
