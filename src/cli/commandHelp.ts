import { EXIT } from './cliErrors';

/** What `--help` says of one command: its name, a line of help, its usage. */
export interface CommandHelp {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
}

/** The pass commands' usage: `disable` (Qlik Cloud only) takes a subject or email and no kind. */
function passUsage(action: 'assign' | 'revoke' | 'reinstate'): string {
  return `license-steward ${action} --config FILE --connection NAME --user 'DIR\\ID' (Qlik Cloud: subject or email) [--kind user|professional|analyzer] [--yes] [--data-dir DIR]`;
}

/**
 * Every command's help, in the order help lists them. Kept apart from the commands, which load
 * the whole CLI: `--help` reads this file only, and the commands take their texts from it.
 */
export const COMMAND_HELP: readonly CommandHelp[] = [
  {
    name: 'demo',
    summary: 'rank the users of an embedded demo site (Qlik Sense; --cloud, --capacity: Qlik Cloud; --licstats: License Statistics)',
    usage: 'license-steward demo [--cloud | --capacity | --licstats] [--users N] [--seed N] [--top N]',
  },
  {
    name: 'rank',
    summary: 'rank users by token use and show each verdict',
    usage: 'license-steward rank --config FILE --connection NAME [--window-days 28] [--format table|json|csv] [--top N] [--feature NAME|ID (License Statistics)]',
  },
  {
    name: 'sync',
    summary: 'read usage and allocations and keep them in the local history store',
    usage:
      'license-steward sync --config FILE --connection NAME [--data-dir DIR] [--window-days 28] [--retention-days 400] [--feature NAME|ID (License Statistics: narrows the summary; history keeps every feature)]',
  },
  {
    name: 'plan',
    summary: 'show what a policy would change (assign heavy users, release idle passes), changing nothing',
    usage: 'license-steward plan --config FILE --connection NAME --policy FILE [--format table|json]',
  },
  {
    name: 'apply',
    summary: 'carry out a policy: plan, then (with --yes) make each change, verified and audited',
    usage: 'license-steward apply --config FILE --connection NAME --policy FILE [--yes] [--format table|json] [--data-dir DIR]',
  },
  { name: 'assign', summary: 'allocate a pass to a user', usage: passUsage('assign') },
  { name: 'revoke', summary: 'remove a pass (says whether it is freed or quarantined)', usage: passUsage('revoke') },
  { name: 'reinstate', summary: 'give a quarantined pass back to its user', usage: passUsage('reinstate') },
  {
    name: 'disable',
    summary: 'disable a user of a Qlik Cloud tenant (frees a Full User on capacity tenants)',
    usage: 'license-steward disable --config FILE --connection NAME --user SUBJECT_OR_EMAIL [--yes] [--data-dir DIR]',
  },
  {
    name: 'login',
    summary: "store a connection's JWT or key passphrase in the OS keychain",
    usage: 'license-steward login --connection NAME [--config FILE]   (reads the JWT or key passphrase from the terminal or stdin)',
  },
  {
    name: 'sim',
    summary: 'run a QRS, Qlik Cloud or License Statistics simulator on loopback and write a ready connection file',
    usage: [
      'license-steward sim qrs [--port N] [--users N] [--records N] [--seed N] [--model token|userBased] [--capacity] [--dir DIR]',
      '       license-steward sim cloud [--capacity] [--port N] [--users N] [--seed N] [--dir DIR]',
      '       license-steward sim licstats [--port N] [--seed N] [--dir DIR]',
    ].join('\n'),
  },
];

/** The help of the command named `name`; the name must be one of {@link COMMAND_HELP}'s. */
export function helpOf(name: string): CommandHelp {
  const help = COMMAND_HELP.find((c) => c.name === name);
  if (!help) {
    throw new Error(`No help for a command "${name}".`);
  }
  return help;
}

/** The help of the whole CLI. */
export function helpText(): string {
  const width = Math.max(...COMMAND_HELP.map((c) => c.name.length));
  return [
    'License Steward: rank Qlik users by license consumption and act on it.',
    '',
    'Commands:',
    ...COMMAND_HELP.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Usage:',
    ...COMMAND_HELP.map((c) => `  ${c.usage}`),
    '',
    'Exit codes: 0 ok, 1 usage or config error, 2 connection/auth error, 3 server refused, 4 outcome unknown, 130/143 interrupted.',
    '',
  ].join('\n');
}

/**
 * The answer to a command line that asks only for help (no command, `help`, `--help`, `-h`, or
 * a known command with `--help`), with its exit code; undefined for any other command line.
 */
export function helpAnswer(argv: readonly string[]): { readonly text: string; readonly code: number } | undefined {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    return { text: helpText(), code: name ? EXIT.ok : EXIT.usage };
  }
  const command = COMMAND_HELP.find((c) => c.name === name);
  if (command && (rest.includes('--help') || rest.includes('-h'))) {
    return { text: `${command.summary}\nUsage: ${command.usage}\n`, code: EXIT.ok };
  }
  return undefined;
}
