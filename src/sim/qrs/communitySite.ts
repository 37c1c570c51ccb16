import { createPrng } from '../prng';
import { communitySample, COMMUNITY_SAMPLE_NOW } from './communitySample';
import { LoginUsageStore } from './loginUsageStore';
import { simUser, type QrsSimData, type SimLoginGroup, type SimUser } from './qrsSimState';

function ms(iso: string): number {
  return Date.parse(iso);
}

function account(id: string, dir: string, userId: string, roles: string[] = []): SimUser {
  const created = Date.UTC(2018, 0, 15);
  return simUser({ id, userId, userDirectory: dir, userDirectoryConnectorName: null, name: userId, createdDate: created, modifiedDate: created, roles });
}

/**
 * The 2018 site behind the Qlik Community answer: SECURITYRULE\tokenusage (2 passes) and
 * SECURITYRULE\tokenusage2 (1 pass) drawing from the "Temp" login group, token model, a few
 * tokens. The service accounts exist so the usual credentials work.
 */
export function buildCommunitySite(): { data: QrsSimData; now: number } {
  const prng = createPrng(2018);
  const users: SimUser[] = [
    account(prng.uuid(), 'INTERNAL', 'sa_repository'),
    account(prng.uuid(), 'INTERNAL', 'sa_api'),
    account(prng.uuid(), 'CORP', 'admin', ['RootAdmin']),
  ];
  const groups: SimLoginGroup[] = [];
  const store = new LoginUsageStore(2018, 16);
  for (const record of communitySample) {
    let userIndex = users.findIndex((u) => u.id === record.user.id);
    if (userIndex < 0) {
      userIndex = users.push(account(record.user.id, record.user.userDirectory, record.user.userId)) - 1;
    }
    let groupIndex = groups.findIndex((g) => g.id === record.loginAccessType.id);
    if (groupIndex < 0) {
      groupIndex =
        groups.push({
          id: record.loginAccessType.id,
          name: record.loginAccessType.name,
          // One token buys ten login passes: enough for the three used here.
          assignedTokens: 1,
          createdDate: Date.UTC(2018, 7, 1),
          modifiedDate: Date.UTC(2018, 7, 1),
          modifiedByUserName: 'INTERNAL\\sa_api',
        }) - 1;
    }
    store.add({
      userIndex,
      groupIndex,
      start: ms(record.useStartTime),
      // The 2018 server wrote no useStopTime, so neither does the sample.
      stop: null,
      latestActivity: ms(record.latestActivity),
      sessionCount: record.sessions.length,
      literal: {
        id: record.id,
        createdDate: ms(record.createdDate),
        modifiedDate: ms(record.modifiedDate),
        modifiedByUserName: record.modifiedByUserName,
        hostName: record.hostName,
        serverNodeConfigurationId: record.serverNodeConfigurationId,
        sessions: record.sessions.map((s) => ({
          id: s.id,
          sessionID: s.sessionID,
          createdDate: ms(s.createdDate),
          modifiedDate: ms(s.modifiedDate),
          latestActivity: ms(s.latestActivity),
          modifiedByUserName: s.modifiedByUserName,
        })),
      },
    });
  }
  return {
    now: COMMUNITY_SAMPLE_NOW,
    data: {
      users,
      allocations: [],
      loginGroups: groups,
      loginUsage: store,
      capacityPools: [],
      capacityUsage: [],
      license: { model: 'token', totalTokens: 5, professionalSeats: 0, analyzerSeats: 0, capacity: false },
      serverNodeConfigurationId: communitySample[0]?.serverNodeConfigurationId ?? prng.uuid(),
    },
  };
}
