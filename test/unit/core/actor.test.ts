import { strict as assert } from 'node:assert';
import { connectionAccount, describeActor } from '../../../src/core/actor';
import type { ConnectionConfig } from '../../../src/core/connectionConfig';

const base = { name: 'prod', kind: 'qrs', url: 'https://qs.example.com/hdr', tlsVerify: true } as const;

describe('actor', () => {
  it('names the header, never its value, for a header-auth connection', () => {
    const header: ConnectionConfig = { ...base, auth: { mode: 'header', headerName: 'X-Qlik-User-Header', headerValue: 'CORP\\svc_license' } };
    assert.equal(connectionAccount(header), 'the user in header X-Qlik-User-Header');
    const actor = describeActor('jdoe', 'CLI', header);
    assert.equal(actor, 'jdoe (CLI) as the user in header X-Qlik-User-Header');
    assert.ok(!actor.includes('svc_license'));
    // The other modes name what is not secret: the X-Qlik-User of a certificate connection.
    assert.equal(connectionAccount({ ...base, auth: { mode: 'certificate', certFile: 'client.pem', userDirectory: 'INTERNAL', userId: 'sa_api' } }), 'INTERNAL\\sa_api');
    assert.equal(connectionAccount({ ...base, auth: { mode: 'jwt' } }), 'a JWT account');
  });
});
