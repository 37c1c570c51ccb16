import { strict as assert } from 'node:assert';
import { boundName, NAME_LIMIT, terminalSafe } from '../../../src/core/displayText';

describe('display text', () => {
  describe('terminalSafe', () => {
    it('shows every C0 control, DEL and every C1 control as U+FFFD', () => {
      for (let code = 0; code <= 0x9f; code++) {
        const control = code < 0x20 || code >= 0x7f;
        const c = String.fromCharCode(code);
        assert.equal(terminalSafe(`a${c}b`), control ? 'a\uFFFDb' : `a${c}b`, `U+${code.toString(16).padStart(4, '0')}`);
      }
    });

    it('defuses the sequences a hostile user name would carry', () => {
      // Set the window title, clear the screen, and a CSI written as one 8-bit character.
      assert.equal(terminalSafe('Eve\u001b]0;owned\u0007\u001b[2J\u009b31m'), 'Eve\uFFFD]0;owned\uFFFD\uFFFD[2J\uFFFD31m');
      assert.equal(terminalSafe('two\r\nlines\tand tab'), 'two\uFFFD\uFFFDlines\uFFFDand tab');
    });

    it('leaves ordinary text alone, non-Latin scripts and emoji included', () => {
      for (const text of ['', 'CORP\\jdoe', 'Jürgen Müller', '山田 太郎', 'Ана', 'Zoë 👩🏽‍💻', '\u00a0no-break space', '=1+1']) {
        assert.equal(terminalSafe(text), text);
      }
    });

    it('keeps the length, so table columns stay aligned', () => {
      const name = 'a\u001bb\u009bc';
      assert.equal(terminalSafe(name).length, name.length);
    });
  });

  describe('boundName', () => {
    it('keeps a name of up to 1,024 code points whole', () => {
      assert.equal(NAME_LIMIT, 1024);
      for (const name of ['', 'Jane Doe', 'x'.repeat(1024), '😀'.repeat(1024), `${'😀'.repeat(1023)}x`]) {
        assert.equal(boundName(name), name);
      }
    });

    it('cuts a longer name to 1,024 code points, the last one an ellipsis', () => {
      const cut = boundName('x'.repeat(1025));
      assert.equal(cut, `${'x'.repeat(1023)}…`);
      assert.equal([...cut].length, 1024);
      assert.equal(boundName('y'.repeat(1_000_000)), `${'y'.repeat(1023)}…`);
    });

    it('never splits a surrogate pair', () => {
      // 1,022 single units, then emoji: the cut falls on the second half of a pair in UTF-16 units.
      const name = `${'x'.repeat(1022)}${'😀'.repeat(10)}`;
      const cut = boundName(name);
      assert.equal(cut, `${'x'.repeat(1022)}😀…`);
      assert.equal([...cut].length, 1024);
      assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(cut), 'no lone surrogate');
      const emoji = boundName('😀'.repeat(2000));
      assert.equal(emoji, `${'😀'.repeat(1023)}…`);
    });
  });
});
