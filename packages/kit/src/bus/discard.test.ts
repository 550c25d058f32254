import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { silentLog, testEnv, testEventPrefix } from '../testing/index.ts';
import { DiscardRefused, discardDeadLetters } from './discard.ts';
import { listDeadLetters } from './redrive.ts';
import { runRedriveCli } from './redrive-cli.ts';
import { busSuite, count, metricValue, streamMessages, type TestDb, testBus, waitFor } from './test-support.ts';

describe('discarding dead letters', () => {
  let db: TestDb;
  busSuite((d) => {
    db = d;
  });

  it('takes a discarded dead letter out of dlq_depth and the list, logs who and why, and never redrives it', async () => {
    const prefix = testEventPrefix();
    const service = db.schema;
    const consumer = `${service}-worker`;
    let broken = true;
    const { bus, metrics } = await testBus(db, prefix, { service });
    bus.subscribe(
      'worker',
      ['kit.ping.v1'],
      async (event, ctx) => {
        if (broken) throw new Error('worker broken');
        await ctx.tx.query('INSERT INTO effects (event_id, consumer, n) VALUES ($1, $2, $3)', [
          event.id,
          'worker',
          event.payload.n,
        ]);
      },
      { backoffMs: [50], maxDeliver: 2 },
    );
    await bus.start();
    const repairedId = await db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n: 1 }));
    const fixedId = await db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n: 2 }));
    await waitFor('two dead letters', async () => (await count(db, 'dead_letters')) === 2);
    const dead = await listDeadLetters(db);
    const byEvent = (e: string) => {
      const d = dead.find((x) => x.eventId === e);
      if (!d) throw new Error(`no dead letter for ${e}`);
      return d;
    };
    const [repaired, fixed] = [byEvent(repairedId), byEvent(fixedId)];
    expect(await metricValue(metrics, 'dlq_depth', { consumer })).toBe(2);

    // The operator repaired the first event's effect by hand and dismisses its dead letter.
    const env = {
      DATABASE_URL: testEnv().databaseUrl,
      NATS_URL: testEnv().natsUrl,
      EVENT_PREFIX: prefix,
      USER: 'alice',
    };
    const cli = async (argv: string[], log = silentLog()) => {
      const out: string[] = [];
      const code = await runRedriveCli(['--service', service, ...argv], env, (l) => out.push(l), log);
      return { code, out };
    };
    const logged: string[] = [];
    const log = createLogger({ service: 'redrive', destination: { write: (line: string) => logged.push(line) } });
    const reason = 'refund issued by hand, INC-42';
    const discarded = await cli(['--discard', String(repaired.id), '--reason', reason], log);
    expect(discarded).toMatchObject({ code: 0 });
    expect(discarded.out.at(-1)).toBe('1 discarded');
    expect(discarded.out[0]).toMatch(
      new RegExp(`^discarded #${repaired.id} ${consumer} .* discarded=\\S+ by=alice because="${reason}"`),
    );
    expect(JSON.parse(logged[0] ?? '{}')).toMatchObject({
      level: 'warn',
      deadLetter: repaired.id,
      consumer,
      eventId: repairedId,
      actor: 'alice',
      reason,
    });
    expect(await metricValue(metrics, 'dlq_depth', { consumer })).toBe(1);

    // Kept, not deleted: --list hides it, --list --all shows it with its reason.
    const listed = await cli(['--list']);
    expect(listed.out.at(-1)).toBe('1 dead letter(s)');
    expect(listed.out[0]).toMatch(new RegExp(`^#${fixed.id} `));
    const all = await cli(['--list', '--all']);
    expect(all.out.at(-1)).toBe('2 dead letter(s)');
    expect(all.out.find((l) => l.startsWith(`#${repaired.id} `))).toContain(`by=alice because="${reason}"`);
    expect(await count(db, 'dead_letters')).toBe(2);

    // Named by id, it is refused; nothing is published for it.
    broken = false;
    const before = await streamMessages(prefix);
    const refused = await cli(['--id', String(repaired.id)]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(
      `refused: dead letter #${repaired.id} of ${consumer} was discarded by alice at ` +
        `${(await listDeadLetters(db, { ids: [repaired.id], includeDiscarded: true }))[0]?.discardedAt?.toISOString()} ` +
        `("${reason}"); a discarded dead letter is never redriven`,
    );
    expect(refused.out.at(-1)).toBe('0 redriven, 0 skipped, 1 refused (discarded; see above)');
    expect(await streamMessages(prefix)).toBe(before);

    // A redrive of the whole consumer passes over it quietly and sends only the waiting one.
    const redriven = await cli(['--consumer', 'worker']);
    expect(redriven).toMatchObject({ code: 0 });
    expect(redriven.out.at(-1)).toBe('1 redriven, 0 skipped');
    expect(await streamMessages(prefix)).toBe(before + 1);
    await waitFor('the fixed event applied', async () => (await count(db, 'effects')) === 1);
    expect((await db.query('SELECT event_id FROM effects')).rows).toEqual([{ event_id: fixedId }]);
    expect(await metricValue(metrics, 'dlq_depth', { consumer })).toBe(0);

    // No longer waiting: discarding again or discarding the redriven one is refused, changing nothing.
    const again = await cli(['--discard', String(repaired.id), '--discard', String(fixed.id), '--reason', 'again']);
    expect(again.code).toBe(1);
    const redrivenAt = (await listDeadLetters(db, { ids: [fixed.id], includeRedriven: true }))[0]?.redrivenAt;
    const discardedAt = (await listDeadLetters(db, { ids: [repaired.id], includeDiscarded: true }))[0]?.discardedAt;
    expect(again.out[0]?.startsWith('nothing discarded: ')).toBe(true);
    expect(again.out[0]?.slice('nothing discarded: '.length).split('; ').sort()).toEqual(
      [
        `dead letter #${fixed.id} of ${consumer} was already redriven at ${redrivenAt?.toISOString()}`,
        `dead letter #${repaired.id} of ${consumer} was already discarded by alice at ${discardedAt?.toISOString()} ("${reason}")`,
      ].sort(),
    );
    const rows = await db.query('SELECT id, discarded_by, discard_reason FROM dead_letters ORDER BY id');
    expect(rows.rows).toEqual(
      expect.arrayContaining([
        { id: repaired.id, discarded_by: 'alice', discard_reason: reason },
        { id: fixed.id, discarded_by: null, discard_reason: null },
      ]),
    );
    expect(rows.rows).toHaveLength(2);
  });

  it('refuses unknown ids (all or nothing) and bad input with exit code 2; --actor overrides USER', async () => {
    const env = { DATABASE_URL: testEnv().databaseUrl, NATS_URL: testEnv().natsUrl, EVENT_PREFIX: 'x' };
    const service = db.schema;
    const [waiting] = (
      await db.query<{ id: number }>(
        `INSERT INTO dead_letters (consumer, stream_seq, subject, payload, error, attempts, reason)
         VALUES ($1, 1, 'kit.ping.v1', NULL, 'boom', 1, 'terminated') RETURNING id`,
        [`${service}-other`],
      )
    ).rows;
    const id = String(waiting?.id);
    const cli = async (argv: string[], extra: Record<string, string> = {}) => {
      const out: string[] = [];
      const code = await runRedriveCli(
        ['--service', service, ...argv],
        { ...env, ...extra },
        (l) => out.push(l),
        silentLog(),
      );
      return { code, out: out.join('\n') };
    };

    expect(await cli(['--discard', '999999', '--discard', id, '--reason', 'x'], { USER: 'bob' })).toMatchObject({
      code: 2,
      out: 'nothing discarded: no dead letter #999999',
    });
    expect(await cli(['--discard', id], { USER: 'bob' })).toMatchObject({
      code: 2,
      out: /^--reason: a reason is required/,
    });
    expect(await cli(['--discard', id, '--reason', '  '], { USER: 'bob' })).toMatchObject({
      code: 2,
      out: /^--reason: /,
    });
    expect(await cli(['--discard', id, '--reason', 'r'.repeat(501)], { USER: 'bob' })).toMatchObject({
      code: 2,
      out: /^--reason: at most 500 characters/,
    });
    expect(await cli(['--discard', id, '--reason', 'x'])).toMatchObject({ code: 2, out: /^--actor: who discards/ });
    expect(await cli(['--discard', 'seven', '--reason', 'x'], { USER: 'bob' })).toMatchObject({
      code: 2,
      out: /^--discard: takes dead-letter ids/,
    });
    expect(await cli(['--discard', id, '--reason', 'x', '--list'], { USER: 'bob' })).toMatchObject({
      code: 2,
      out: /^--discard <id> --reason "<why>" \[--actor <who>\] goes alone/,
    });
    expect(await cli(['--list', '--reason', 'x'])).toMatchObject({ code: 2 });
    expect(await count(db, 'dead_letters WHERE discarded_at IS NOT NULL AND id = $1', [waiting?.id])).toBe(0);

    const ok = await cli(['--discard', id, '--reason', 'r'.repeat(500), '--actor', 'carol'], { USER: 'bob' });
    expect(ok).toMatchObject({ code: 0, out: /1 discarded$/ });
    expect(await count(db, "dead_letters WHERE discarded_by = 'carol' AND id = $1", [waiting?.id])).toBe(1);

    // The library call checks the same input, and the table holds to it too.
    await expect(discardDeadLetters(db, { ids: [], reason: 'x', actor: 'a' })).rejects.toThrow(/at least one/);
    await expect(discardDeadLetters(db, { ids: [999998], reason: 'x', actor: 'a' })).rejects.toBeInstanceOf(
      DiscardRefused,
    );
    await expect(
      db.query('UPDATE dead_letters SET discard_reason = NULL WHERE id = $1', [waiting?.id]),
    ).rejects.toThrow(/dead_letters_discard_complete|dead_letters_redriven_or_discarded/);
  });
});
