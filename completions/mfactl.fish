function __mfactl_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mfactl_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mfactl_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mfactl_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mfactl_parse_tokens -S
    set -l unparsed_tokens (__mfactl_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mfactl'
        __mfactl_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'init'
            __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'kdf=' 'generate-key-file=' 'no-passphrase' 'version' 'h/help'
        case 'enrol'
            __mfactl_parse_subcommand 2 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'confirm' 'type=' 'algorithm=' 'digits=' 'period=' 'issuer=' 'label=' 'qr=' 'qr-png=' 'qr-svg=' 'qr-scale=' 'secret=' 'uri=' 'activate' 'id=' 'version' 'h/help'
        case 'verify'
            __mfactl_parse_subcommand 2 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'window=' 'allow-recovery' 'session' 'ttl=' 'idle=' 'remember' 'trust-device=' 'device-ttl=' 'version' 'h/help'
        case 'code'
            __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'secret=' 'uri=' 'algorithm=' 'digits=' 'period=' 'counter=' 'id=' 'version' 'h/help'
        case 'recovery-codes'
            __mfactl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'generate'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'count=' 'output=' 'version' 'h/help'
            case 'status'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'use'
                __mfactl_parse_subcommand 2 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            end
        case 'devices'
            __mfactl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'trust'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'name=' 'ttl=' 'version' 'h/help'
            case 'check'
                __mfactl_parse_subcommand 2 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'list'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'revoke'
                __mfactl_parse_subcommand 2 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'all' 'version' 'h/help'
            end
        case 'sessions'
            __mfactl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'create'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'ttl=' 'idle=' 'remember' 'version' 'h/help'
            case 'check'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'list'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'revoke'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'user=' 'all' 'version' 'h/help'
            end
        case 'challenge'
            __mfactl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'send'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'deliver=' 'ttl=' 'version' 'h/help'
            end
        case 'users'
            __mfactl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'role=' 'version' 'h/help'
            case 'show'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'disable'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'enable'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'unlock'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'remove'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'authenticator=' 'version' 'h/help'
            case 'resync'
                __mfactl_parse_subcommand 3 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'authenticator=' 'version' 'h/help'
            case 'diagnose'
                __mfactl_parse_subcommand 2 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'import'
                __mfactl_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'uris'
                    __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
                case 'google-authenticator'
                    __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'user=' 'issuer=' 'version' 'h/help'
                end
            case 'set'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'require-mfa' 'no-require-mfa' 'role=' 'no-role' 'version' 'h/help'
            case 'export'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'export-uri'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'id=' 'yes' 'version' 'h/help'
            case 'erase'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            end
        case 'audit'
            __mfactl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'user=' 'event=' 'since=' 'until=' 'failures' 'limit=' 'version' 'h/help'
            case 'verify'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'export'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'user=' 'event=' 'since=' 'until=' 'failures' 'output=' 'version' 'h/help'
            case 'prune'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'before=' 'version' 'h/help'
            case 'reset'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'force' 'version' 'h/help'
            end
        case 'status'
            __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'check' 'max-backup-age=' 'version' 'h/help'
        case 'vault'
            __mfactl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'info'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'passwd'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'new-passphrase-file=' 'kdf=' 'version' 'h/help'
            case 'add-key-file'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'remove-key-file'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'rekey'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'also-key-file=' 'also-passphrase-file=' 'drop-other-slots' 'kdf=' 'version' 'h/help'
            case 'check'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            end
        case 'backup'
            __mfactl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'create'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'dir=' 'keep=' 'backup-passphrase-file=' 'kdf=' 'version' 'h/help'
            case 'verify'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            case 'restore'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'force' 'version' 'h/help'
            case 'list'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'syslog' 'format=' 'version' 'h/help'
            end
        case 'help'
            __mfactl_parse_subcommand -r 1 'version'
        end
    end
end

function __mfactl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mfactl_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __mfactl_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mfactl_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mfactl_tokens -p)
    if test -z "$(__mfactl_tokens -t)"
        set -l index (count (__mfactl_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mfactl' -f
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'init' -d 'Create a new, empty vault.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'enrol' -d 'Add an authenticator for a user (created if new), or confirm a pending one.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'verify' -d 'Check a code for a user: exit 0 accepted, 1 rejected, 2 locked out.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'code' -d 'Print the current code of a user\'s authenticator, or of a secret or URI.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'recovery-codes' -d 'One-time codes for when a user cannot use their authenticator.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'devices' -d 'Trusted devices: a token that lets a device skip the code for a while.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'sessions' -d 'Login sessions: a token a web app or script keeps after a successful verify.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'challenge' -d 'Out-of-band codes (email, SMS) that verify accepts.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'users' -d 'List, inspect and manage users.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'audit' -d 'The tamper-evident audit log: list, verify, export, prune, reset.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'status' -d 'The vault at a glance; --format prometheus for monitoring, --check for alerts.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'vault' -d 'Inspect the vault and manage its key slots.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'backup' -d 'Make, check, list and restore encrypted backups (the vault and its audit log in one file).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" kdf' -l 'kdf' -d 'Argon2id cost of the passphrase slot: interactive (64 MiB), moderate (256 MiB) or sensitive (1 GiB).' -rfka 'interactive moderate sensitive'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" generate-key-file' -l 'generate-key-file' -d 'Create a new key file (32 random bytes, mode 0600) and add a slot for it.' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" no-passphrase' -l 'no-passphrase' -d 'Do not add a passphrase slot (needs a key file).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl enrol" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" confirm' -l 'confirm' -d 'Confirm the pending authenticator with a code from it.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" type' -l 'type' -d 'totp or hotp (default: totp, or the --uri\'s type).' -rfka 'totp hotp'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" algorithm' -l 'algorithm' -d 'SHA1, SHA256 or SHA512 (default: SHA1, or the --uri\'s).' -rfka 'SHA1 SHA256 SHA512'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" digits' -l 'digits' -d 'Code length: 6 or 8 (default: 6, or the --uri\'s).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" period' -l 'period' -d 'TOTP step in seconds (default: 30, or the --uri\'s).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" issuer' -l 'issuer' -d 'Issuer shown in the authenticator app (default: this host\'s name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" label' -l 'label' -d 'Account label shown in the app (default: the user name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" qr' -l 'qr' -d 'QR code on the terminal: ansi (black on white, scans on any theme), utf8 (no colours, drawn for a dark background) or none (default on a terminal: ansi, or utf8 when NO_COLOR is set; else none).' -rfka 'utf8 ansi none'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" qr-png' -l 'qr-png' -d 'Also write the QR code as a PNG file: it holds the secret, so it is created mode 0600 and never overwrites.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'png\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" qr-svg' -l 'qr-svg' -d 'Also write the QR code as an SVG file (mode 0600, never overwrites; it holds the secret).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'svg\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" qr-scale' -l 'qr-scale' -d 'PNG pixels per module.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" secret' -l 'secret' -d 'Use this base32 secret instead of a random one (\'-\': read it from stdin).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" uri' -l 'uri' -d 'Import an otpauth:// URI (\'-\': read it from stdin).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" activate' -l 'activate' -d 'Make the authenticator active at once, without confirmation.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" id' -l 'id' -d 'With --confirm: the pending authenticator to confirm.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl verify" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" window' -l 'window' -d 'TOTP: accept steps within ±N of the centre for this call (default 1, at most 20).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" allow-recovery' -l 'allow-recovery' -d 'Also accept a recovery code (XXXXX-XXXXX), using it up.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" session' -l 'session' -d 'On success, create a session and print its token.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" ttl' -l 'ttl' -d 'With --session: lifetime (90s, 30m, 24h, 30d; default 24h).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" idle' -l 'idle' -d 'With --session: idle timeout (default 30m).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" remember' -l 'remember' -d 'With --session: 30 days, no idle timeout unless --idle.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" trust-device' -l 'trust-device' -d 'On success, trust this device and print its token.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" device-ttl' -l 'device-ttl' -d 'With --trust-device: lifetime (default 30d).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl code" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" secret' -l 'secret' -d 'Base32 secret (\'-\': read from stdin).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" uri' -l 'uri' -d 'otpauth:// URI (\'-\': read from stdin).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" algorithm' -l 'algorithm' -d 'With --secret: SHA1, SHA256 or SHA512 (default SHA1).' -rfka 'SHA1 SHA256 SHA512'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" digits' -l 'digits' -d 'With --secret: 6 or 8 (default 6).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" period' -l 'period' -d 'With --secret: TOTP step in seconds (default 30).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" counter' -l 'counter' -d 'With --secret: a HOTP counter instead of TOTP.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" id' -l 'id' -d 'With USER: which authenticator.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl recovery-codes" -eq 1' -fa 'generate' -d 'Make a new set of recovery codes (voids the old set) and show them once.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl recovery-codes" -eq 1' -fa 'status' -d 'How many recovery codes a user has left.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl recovery-codes" -eq 1' -fa 'use' -d 'Use up one recovery code: exit 0 accepted, 1 rejected, 2 locked out.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes generate" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes generate" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes generate" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes generate" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes generate" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes generate" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes generate" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes generate" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes generate" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl recovery-codes generate" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes generate" count' -l 'count' -d 'How many codes (1-100).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes generate" output' -l 'output' -d 'Write a printable sheet to this new file instead of printing the codes.' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes generate" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes generate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes status" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes status" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes status" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes status" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes status" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes status" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes status" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes status" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes status" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl recovery-codes status" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes status" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes use" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes use" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes use" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes use" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes use" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes use" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes use" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes use" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes use" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl recovery-codes use" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes use" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl recovery-codes use" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl devices" -eq 1' -fa 'trust' -d 'Trust a device: prints a device token once (mfad_...).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl devices" -eq 1' -fa 'check' -d 'Check a device token: exit 0 if it is a live trusted device of the user, else 1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl devices" -eq 1' -fa 'list' -d 'List live trusted devices (ids and details, never tokens).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl devices" -eq 1' -fa 'revoke' -d 'Revoke one trusted device of a user, or all of them.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices trust" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices trust" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices trust" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices trust" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices trust" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices trust" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices trust" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices trust" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices trust" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl devices trust" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices trust" name' -l 'name' -d 'A name for the device (shown in lists).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices trust" ttl' -l 'ttl' -d 'Lifetime: 90s, 30m, 24h, 30d (default 30d).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices trust" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices trust" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices check" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices check" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices check" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices check" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices check" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices check" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices check" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices check" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices check" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl devices check" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices check" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices list" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices list" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices list" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices list" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices list" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices list" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices list" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices list" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices list" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl devices list" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices list" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices revoke" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices revoke" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices revoke" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices revoke" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices revoke" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices revoke" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices revoke" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices revoke" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices revoke" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl devices revoke" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices revoke" all' -l 'all' -d 'Revoke all of the user\'s devices.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices revoke" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl devices revoke" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl sessions" -eq 1' -fa 'create' -d 'Create a session for a user: prints a session token once (mfas_...).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl sessions" -eq 1' -fa 'check' -d 'Check a session token: exit 0 and print the user, else exit 1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl sessions" -eq 1' -fa 'list' -d 'List live sessions (ids and details, never tokens).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl sessions" -eq 1' -fa 'revoke' -d 'Revoke a session by id, or all of a user\'s sessions (log out everywhere).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions create" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions create" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions create" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions create" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions create" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions create" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions create" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions create" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions create" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl sessions create" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions create" ttl' -l 'ttl' -d 'Lifetime: 90s, 30m, 24h, 30d (default 24h; 30d with --remember).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions create" idle' -l 'idle' -d 'Idle timeout: 90s, 30m, 24h (default 30m; none with --remember).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions create" remember' -l 'remember' -d 'Long-lived: 30 days, no idle timeout unless --idle.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions create" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions check" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions check" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions check" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions check" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions check" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions check" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions check" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions check" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions check" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions check" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions list" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions list" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions list" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions list" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions list" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions list" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions list" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions list" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions list" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl sessions list" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions list" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions revoke" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions revoke" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions revoke" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions revoke" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions revoke" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions revoke" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions revoke" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions revoke" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions revoke" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions revoke" user' -l 'user' -d 'The user whose sessions to revoke (with --all).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions revoke" all' -l 'all' -d 'Revoke all of --user\'s sessions.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions revoke" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl sessions revoke" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl challenge" -eq 1' -fa 'send' -d 'Make a 6-digit code for a user and deliver it (email/SMS) or print it.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge send" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge send" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge send" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge send" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge send" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge send" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge send" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge send" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge send" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl challenge send" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge send" deliver' -l 'deliver' -d 'Program (and arguments) that delivers the message on its stdin.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge send" ttl' -l 'ttl' -d 'How long the code is valid: 90s, 10m (default), 1h; at most 24h.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge send" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl challenge send" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'list' -d 'List users (JSON: one object per line).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'show' -d 'Show a user and their authenticators (never secrets).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'disable' -d 'Disable a user: every verify is rejected until enabled.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'enable' -d 'Enable a disabled user.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'unlock' -d 'Clear a user\'s failure count and lockout.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'remove' -d 'Remove a user, or one of their authenticators (--authenticator ID).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'resync' -d 'Resynchronise an authenticator from two consecutive codes.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'diagnose' -d 'Tell how far a device\'s clock is off: where does this code match?'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'import' -d 'Import authenticators in bulk.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'set' -d 'Set a user\'s policy flags: --require-mfa / --no-require-mfa, --role NAME / --no-role.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'export' -d 'Every fact stored about a user, as one JSON object (for a data-subject request).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'export-uri' -d 'Print the otpauth URI of a user\'s authenticators, to move them to another verifier (reveals the secrets).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'erase' -d 'Remove a user and every trace of their name (right to erasure).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" role' -l 'role' -d 'Only users with this role.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users show" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users disable" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users enable" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users unlock" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users remove" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" authenticator' -l 'authenticator' -d 'Remove only this authenticator.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users resync" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" authenticator' -l 'authenticator' -d 'Which authenticator (default: the active ones).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users diagnose" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users import" -eq 1' -fa 'uris' -d 'Import otpauth URIs, one per line: \'USER<TAB>URI\', or a bare URI whose account label is the user.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users import" -eq 1' -fa 'google-authenticator' -d 'Import a google-authenticator-libpam secret file (~/.google_authenticator) for a user.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users import uris" -eq 1' -F
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import google-authenticator" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import google-authenticator" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import google-authenticator" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import google-authenticator" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import google-authenticator" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import google-authenticator" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import google-authenticator" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import google-authenticator" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import google-authenticator" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users import google-authenticator" -eq 1' -F
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import google-authenticator" user' -l 'user' -d 'User name: 1-64 of A-Z a-z 0-9 . _ @ + - (not starting with \'-\').' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import google-authenticator" issuer' -l 'issuer' -d 'Issuer shown in authenticator apps (default: this host\'s name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import google-authenticator" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import google-authenticator" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users set" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" require-mfa' -l 'require-mfa' -d 'Require an active authenticator for verify (--no-require-mfa: stop requiring it).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" no-require-mfa' -l 'no-require-mfa' -d 'Require an active authenticator for verify (--no-require-mfa: stop requiring it).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" role' -l 'role' -d 'A role label.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" no-role' -l 'no-role' -d 'Clear the role.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users set" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export" format' -l 'format' -d 'Output format: json (the only one).' -rfka 'json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users export" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export-uri" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export-uri" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export-uri" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export-uri" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export-uri" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export-uri" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export-uri" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export-uri" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export-uri" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export-uri" id' -l 'id' -d 'Only this authenticator.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export-uri" yes' -l 'yes' -d 'Confirm that the secrets may be printed.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export-uri" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users export-uri" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users erase" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users erase" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users erase" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users erase" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users erase" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users erase" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users erase" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users erase" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users erase" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users erase" -eq 1' -fka '(mfactl users list --quiet </dev/null 2>/dev/null)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users erase" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users erase" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl audit" -eq 1' -fa 'list' -d 'List audit events, newest first (JSON: one object per line).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl audit" -eq 1' -fa 'verify' -d 'Check the whole audit chain: exit 0 with the count and head, or 65 naming the first bad event.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl audit" -eq 1' -fa 'export' -d 'Export audit events oldest first, for a SIEM: --format jsonl (default) or csv.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl audit" -eq 1' -fa 'prune' -d 'Delete audit events older than a time, keeping the chain verifiable.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl audit" -eq 1' -fa 'reset' -d 'Start a new audit log when the old one is damaged and cannot be restored.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" user' -l 'user' -d 'Only events about this user.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" event' -l 'event' -d 'Only this event; a name without a dot, or ending in \'.\' or \'*\', takes every event under it (verify: verify.success, verify.failure, ...).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" since' -l 'since' -d 'Only events at or after this time (RFC 3339 or Unix seconds).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" until' -l 'until' -d 'Only events at or before this time (RFC 3339 or Unix seconds).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" failures' -l 'failures' -d 'Only failed attempts and refusals.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" limit' -l 'limit' -d 'At most this many events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit verify" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit verify" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit verify" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit verify" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit verify" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit verify" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit verify" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit verify" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit verify" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit verify" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" format' -l 'format' -d 'Output format: jsonl (one event object per line) or csv.' -rfka 'jsonl csv'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" user' -l 'user' -d 'Only events about this user.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" event' -l 'event' -d 'Only this event; a name without a dot, or ending in \'.\' or \'*\', takes every event under it (verify: verify.success, verify.failure, ...).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" since' -l 'since' -d 'Only events at or after this time (RFC 3339 or Unix seconds).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" until' -l 'until' -d 'Only events at or before this time (RFC 3339 or Unix seconds).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" failures' -l 'failures' -d 'Only failed attempts and refusals.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" output' -l 'output' -d 'Write to this new file instead of stdout.' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit prune" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit prune" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit prune" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit prune" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit prune" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit prune" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit prune" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit prune" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit prune" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit prune" before' -l 'before' -d 'Delete events before this time (RFC 3339 or Unix seconds).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit prune" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit prune" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit reset" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit reset" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit reset" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit reset" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit reset" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit reset" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit reset" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit reset" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit reset" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit reset" force' -l 'force' -d 'Yes, discard the old events.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit reset" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl audit reset" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl status" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl status" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl status" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl status" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl status" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl status" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl status" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl status" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl status" format' -l 'format' -d 'text, json or prometheus.' -rfka 'text json prometheus'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl status" check' -l 'check' -d 'Exit 1, with one line per problem, when something needs attention.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl status" max-backup-age' -l 'max-backup-age' -d 'With --check: the oldest acceptable backup (default 1d).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl status" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl vault" -eq 1' -fa 'info' -d 'Show the vault header (format, key slots, KDF cost) without unlocking it.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl vault" -eq 1' -fa 'passwd' -d 'Set or change the vault passphrase.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl vault" -eq 1' -fa 'add-key-file' -d 'Add a key-file slot: creates PATH (32 random bytes, 0600) when missing, else enrols that file.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl vault" -eq 1' -fa 'remove-key-file' -d 'Remove a key-file slot: the one PATH opens, or the only one. Never the last slot.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl vault" -eq 1' -fa 'rekey' -d 'Rotate the data key: re-encrypt every record under a new key.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl vault" -eq 1' -fa 'check' -d 'Decrypt and check every record of the vault (exit 65 naming the problem).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" new-passphrase-file' -l 'new-passphrase-file' -d 'Read the new passphrase from the first line of this file.' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" kdf' -l 'kdf' -d 'Argon2id cost of the new slot: interactive (64 MiB), moderate (256 MiB) or sensitive (1 GiB).' -rfka 'interactive moderate sensitive'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl vault add-key-file" -eq 1' -F
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl vault remove-key-file" -eq 1' -F
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" also-key-file' -l 'also-key-file' -d 'Also keep this key file\'s slot.' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" also-passphrase-file' -l 'also-passphrase-file' -d 'Also keep a passphrase slot with the passphrase in this file.' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" drop-other-slots' -l 'drop-other-slots' -d 'Drop the slots whose secret was not given.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" kdf' -l 'kdf' -d 'Argon2id cost of rewrapped passphrase slots.' -rfka 'interactive moderate sensitive'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl backup" -eq 1' -fa 'create' -d 'Write a backup of the vault and its audit log (never over an existing file).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl backup" -eq 1' -fa 'verify' -d 'Decrypt a backup and check it completely, without touching the vault.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl backup" -eq 1' -fa 'restore' -d 'Put a backup back in place of the vault and its audit log.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl backup" -eq 1' -fa 'list' -d 'List the backups (mfactl-backup-*.mfab) in a directory, newest first.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl backup create" -eq 1' -F
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" dir' -l 'dir' -d 'Write a backup named by UTC time in this directory.' -rfa '(__mfactl_complete_directories)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" keep' -l 'keep' -d 'With --dir: keep only the newest N backups there.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" backup-passphrase-file' -l 'backup-passphrase-file' -d 'Protect the backup with its own passphrase, the first line of this file, instead of the vault\'s key slots.' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" kdf' -l 'kdf' -d 'Argon2id cost of the backup passphrase slot: interactive (64 MiB), moderate (256 MiB) or sensitive (1 GiB).' -rfka 'interactive moderate sensitive'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup verify" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup verify" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup verify" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup verify" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup verify" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup verify" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup verify" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup verify" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup verify" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl backup verify" -eq 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'mfab\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup verify" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup restore" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup restore" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup restore" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup restore" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup restore" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup restore" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup restore" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup restore" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup restore" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl backup restore" -eq 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'mfab\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup restore" force' -l 'force' -d 'Restore even over a vault that still opens (rolls back replay state and used recovery codes).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup restore" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup restore" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup list" vault' -l 'vault' -d 'Vault file, or a postgresql:// URI (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup list" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup list" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rF
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup list" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup list" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup list" ip' -l 'ip' -d 'Client address, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup list" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events, sessions and devices.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup list" syslog' -l 'syslog' -d 'Also send audit events to syslog (authpriv), or set $MFACTL_SYSLOG=1.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup list" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl backup list" -eq 1' -fa '(__mfactl_complete_directories)'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup list" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl backup list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl help" version' -l 'version' -d 'Show the version.'
