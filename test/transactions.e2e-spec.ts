import { Transactions } from '../src/database/transactions.js';
import { TestApp } from './support/test-app.js';

/** #12.3: a request-scoped transaction, joined by every query made while it runs, with no handle passed around. */
describe(Transactions.name, () => {
  let t: TestApp;
  let sut: Transactions;
  beforeAll(async () => {
    t = await TestApp.create();
    sut = t.app.get(Transactions);
  });
  afterAll(() => t.close());

  const insertSchool = (name: string) => sut.db.query(`INSERT INTO school (name, kind, province, city, county) VALUES ($1, 'rural', '甘肃省', '定西市', '渭源县')`, [name]);
  const stored = async (name: string) => ((await t.dataSource.query('SELECT count(*)::int AS n FROM school WHERE name LIKE $1', [`${name}%`])) as { n: number }[])[0].n;

  it('rolls back every query made inside, however deep, when the work fails', async () => {
    const deep = () => Promise.resolve().then(() => insertSchool('回滚小学二'));
    await expect(
      sut.run(async () => {
        await insertSchool('回滚小学');
        await deep();
        expect(sut.inTransaction).toBe(true);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await stored('回滚小学')).toBe(0);
  });

  it('commits what it did when the work succeeds, and a run inside a run joins the outer one', async () => {
    await expect(
      sut.run(async () => {
        await insertSchool('提交小学');
        await sut.run(() => insertSchool('提交小学二'));
        throw new Error('the outer one fails');
      }),
    ).rejects.toThrow();
    expect(await stored('提交小学')).toBe(0);
    await sut.run(async () => {
      await insertSchool('提交小学');
      await sut.run(() => insertSchool('提交小学二'));
    });
    expect(await stored('提交小学')).toBe(2);
  });

  it('sends queries outside a run to the pool, each on its own', async () => {
    expect(sut.inTransaction).toBe(false);
    await insertSchool('池小学');
    expect(await stored('池小学')).toBe(1);
  });
});
