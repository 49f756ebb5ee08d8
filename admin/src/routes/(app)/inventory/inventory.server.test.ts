import { createCore, FixedClock, type AccountView, type Core, type TenantView } from '@chairside/core';
import { createTestDatabase, createTestSalon, type TestDatabase } from '@chairside/core/testing';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewResult } from '$lib/inventory/import.svelte';
import { testEvent, thrown } from '$lib/server/testing/events';
import { load as listLoad } from './+page.server';
import { actions as productActions, load as productLoad } from './[id]/+page.server';
import { GET as exportGet } from './export/[format]/+server';
import { actions as importActions } from './import/+page.server';
import { actions as newActions } from './new/+page.server';

type Who = { account: AccountView; tenant: TenantView };
const run = <F extends (e: never) => unknown>(fn: F, event: unknown) => fn(event as Parameters<F>[0]) as Promise<Awaited<ReturnType<F>>>;

/** A POST event with any body (url-encoded entries or multipart FormData). */
function post(core: Core, path: string, who: Who, params: Record<string, string>, body: [string, string][] | FormData) {
	const event = testEvent(core, path, { who, params });
	const request =
		body instanceof FormData
			? new Request(event.url, { method: 'POST', body })
			: new Request(event.url, { method: 'POST', body: new URLSearchParams(body), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	return { ...event, request };
}

describe('inventory: loads, actions and the export (real PostgreSQL)', () => {
	let db: TestDatabase;
	let core: Core;
	let who: Who;
	let tenantId: string;

	beforeAll(async () => {
		db = await createTestDatabase();
		core = createCore(db.prisma, new FixedClock(new Date('2030-03-04T09:00:00Z')));
		tenantId = (await createTestSalon(db.prisma, { slug: 'inv' })).tenantId;
		const account = await core.auth.createAccount({ tenantId, email: 'mgr@inv.test', name: 'Mia Manager', role: 'manager' });
		who = { account, tenant: await core.catalog.getTenant(tenantId) };
	});
	afterAll(async () => db.drop());

	const productForm = (over: Record<string, string> = {}): [string, string][] =>
		Object.entries({ name: 'Shine spray', sku: 'SP-1', barcode: '5700000000017', unit: 'pcs', cost: '40,00', price: '129,50', threshold: '3', stock: '4', ...over });

	it('creates a product with money typed either way and opening stock, refusing bad fields and a taken SKU', async () => {
		const r = await thrown(() => run(newActions.default, post(core, '/inventory/new', who, {}, productForm())));
		expect(isRedirect(r)).toBe(true);
		const id = isRedirect(r) ? r.location.split('/').pop()! : '';
		expect(await core.inventory.get({ tenantId, productId: id })).toMatchObject({ name: 'Shine spray', sku: 'SP-1', costMinor: 40_00, priceMinor: 129_50, stockOnHand: 4, lowStockThreshold: 3 });
		const movements = await core.inventory.listMovements({ tenantId, productId: id });
		expect(movements).toMatchObject([{ kind: 'adjustment', quantity: 4, reason: 'Opening stock', actor: `staff:${who.account.id}` }]);

		const bad = await run(newActions.default, post(core, '/inventory/new', who, {}, productForm({ name: ' ', price: '12.5.0', threshold: '-1', sku: 'X' })));
		expect(bad).toMatchObject({
			status: 400,
			data: { errors: { name: 'Enter a name', price: '"12.5.0" is not an amount', threshold: 'The threshold must be a whole number of 0 or more' }, values: { price: '12.5.0' } }
		});
		const taken = await run(newActions.default, post(core, '/inventory/new', who, {}, productForm({ name: 'Other' })));
		expect(taken).toMatchObject({ status: 409, data: { errors: { sku: 'SKU "SP-1" is already used by another product' } } });
		expect(await db.prisma.product.count({ where: { tenantId } })).toBe(1);
	});

	it('edits, records a delivery, adjusts by count and by change with a reason, and shows who did what', async () => {
		const p = await core.inventory.create({ tenantId, name: 'Clay', priceMinor: 99_00, stockOnHand: 2, lowStockThreshold: 2, actor: `staff:${who.account.id}` });
		const at = (action: string, body: [string, string][]) => run(productActions[action]!, post(core, `/inventory/${p.id}?/${action}`, who, { id: p.id }, body));

		expect(await at('update', productForm({ name: 'Matte clay', sku: 'CL-1', price: '109', stock: 'ignored' }))).toEqual({ step: 'update', saved: true });
		expect(await core.inventory.get({ tenantId, productId: p.id })).toMatchObject({ name: 'Matte clay', sku: 'CL-1', priceMinor: 109_00, stockOnHand: 2 });

		expect(await at('delivery', [['quantity', '0'], ['note', '']])).toMatchObject({ status: 400, data: { step: 'delivery', errors: { quantity: 'At least 1' } } });
		expect(await at('delivery', [['quantity', '10'], ['note', 'Invoice 42']])).toEqual({ step: 'delivery', saved: true });
		expect(await at('adjust', [['mode', 'count'], ['quantity', '9'], ['reason', '']])).toMatchObject({ status: 400, data: { errors: { reason: 'Say why the stock changes' } } });
		expect(await at('adjust', [['mode', 'count'], ['quantity', '9'], ['reason', 'Stock take']])).toEqual({ step: 'adjust', saved: true });
		expect(await at('adjust', [['mode', 'delta'], ['quantity', '−2'], ['reason', 'Broken']])).toEqual({ step: 'adjust', saved: true });
		expect(await at('adjust', [['mode', 'delta'], ['quantity', '-50'], ['reason', 'Lost']])).toMatchObject({
			status: 409,
			data: { step: 'adjust', errors: { quantity: 'Only 7 of "Matte clay" in stock; 50 needed' } }
		});

		const data = (await run(productLoad, testEvent(core, `/inventory/${p.id}`, { who, params: { id: p.id } })))!;
		expect(data.product.stockOnHand).toBe(7);
		expect(data.values).toMatchObject({ price: '109.00', sku: 'CL-1' });
		expect(data.movements.map((m) => [m.kind, m.quantity, m.balance, m.who, m.reason])).toEqual([
			['adjustment', -2, 7, 'Mia Manager', 'Broken'],
			['adjustment', -3, 9, 'Mia Manager', 'Stock take'],
			['delivery', 10, 12, 'Mia Manager', 'Invoice 42'],
			['adjustment', 2, 2, 'Mia Manager', 'Opening stock']
		]);

		expect(await at('archive', [])).toEqual({ step: 'archive', saved: true });
		const listed = (await run(listLoad, testEvent(core, '/inventory?q=clay', { who })))!;
		expect(listed.products).toEqual([]);
		const withArchived = (await run(listLoad, testEvent(core, '/inventory?q=clay&archived=1', { who })))!;
		expect(withArchived.products.map((x) => [x.name, x.active])).toEqual([['Matte clay', false]]);
		expect(await at('restore', [])).toEqual({ step: 'archive', saved: true });
	});

	it('lists by search and the low-stock filter', async () => {
		await core.inventory.create({ tenantId, name: 'Low lotion', sku: 'LL', priceMinor: 10_00, stockOnHand: 1, lowStockThreshold: 5, actor: 'staff:x' });
		const all = (await run(listLoad, testEvent(core, '/inventory', { who })))!;
		expect(all.products.length).toBeGreaterThanOrEqual(3);
		const low = (await run(listLoad, testEvent(core, '/inventory?low=1', { who })))!;
		expect(low.products.map((p) => [p.name, p.isLow])).toEqual([['Low lotion', true]]);
		expect(low.lowCount).toBe(1);
		const lowSearch = (await run(listLoad, testEvent(core, '/inventory?low=1&q=shine', { who })))!;
		expect(lowSearch.products).toEqual([]);
		const bySku = (await run(listLoad, testEvent(core, '/inventory?q=SP-1', { who })))!;
		expect(bySku.products.map((p) => p.name)).toEqual(['Shine spray']);
	});

	it('a product of another salon is 404 for the page and every action, and nothing changes', async () => {
		const other = await createTestSalon(db.prisma);
		const p = await core.inventory.create({ tenantId: other.tenantId, name: 'Theirs', priceMinor: 1_00, stockOnHand: 3, actor: 'staff:x' });
		const page = await thrown(() => run(productLoad, testEvent(core, `/inventory/${p.id}`, { who, params: { id: p.id } })));
		expect(isHttpError(page) && page.status).toBe(404);
		for (const [action, body] of [
			['update', productForm({ sku: 'THEIRS' })],
			['delivery', [['quantity', '5']]],
			['adjust', [['mode', 'count'], ['quantity', '0'], ['reason', 'x']]],
			['archive', []]
		] as [string, [string, string][]][]) {
			const e = await thrown(() => run(productActions[action]!, post(core, `/inventory/${p.id}?/${action}`, who, { id: p.id }, body)));
			expect([action, isHttpError(e) && e.status]).toEqual([action, 404]);
		}
		expect(await core.inventory.get({ tenantId: other.tenantId, productId: p.id })).toMatchObject({ name: 'Theirs', stockOnHand: 3, active: true });
	});

	it('imports: the preview writes nothing and shows row errors; changing the mapping re-reads; only ticked valid rows are imported', async () => {
		const workbook = new ExcelJS.Workbook();
		const sheet = workbook.addWorksheet('Products');
		sheet.addRow(['Produkt', 'Varenr', 'Pris', 'Lager', 'Notes']);
		sheet.addRow(['Argan oil', 'AO-1', '149,95', 6, '']);
		sheet.addRow(['Broken row', 'BR-1', 'twelve', 2, '']);
		sheet.addRow(['Comb', 'CO-1', 25, 10, '']);
		sheet.addRow(['Shine spray again', 'SP-1', '135', 2, '']);
		const file = Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
		const upload = (extra: [string, string][] = []) => {
			const data = new FormData();
			data.set('file', new File([new Uint8Array(file)], 'products.xlsx'));
			for (const [k, v] of extra) data.append(k, v);
			return post(core, '/inventory/import?/preview', who, {}, data);
		};
		const before = await db.prisma.product.count({ where: { tenantId } });

		const preview = (await run(importActions.preview, upload())) as unknown as PreviewResult;
		expect(preview.preview.mapping).toEqual({ name: 0, sku: 1, price: 2, stock: 3 });
		expect(preview.preview.rows.map((r) => [r.row, r.status])).toEqual([
			[2, 'valid'],
			[3, 'invalid'],
			[4, 'valid'],
			[5, 'valid']
		]);
		expect(preview.preview.rows[1]).toMatchObject({ errors: [{ field: 'price', column: 'Pris', message: '"twelve" is not an amount' }] });
		expect(await db.prisma.product.count({ where: { tenantId } })).toBe(before);

		// The blank Notes column as the name: only the row whose SKU exists (an update needs no name) stays valid.
		const remapped = (await run(importActions.preview, upload([['remap', '1'], ['map.name', '4'], ['map.sku', '1'], ['map.price', '2'], ['map.stock', '']]))) as typeof preview;
		expect(remapped.preview.mapping).toEqual({ name: 4, sku: 1, price: 2 });
		expect(remapped.preview.validCount).toBe(1);
		expect(remapped.preview.rows[3]).toMatchObject({ row: 5, status: 'valid', action: 'update' });
		const twice = await run(importActions.preview, upload([['remap', '1'], ['map.name', '0'], ['map.sku', '0']]));
		expect(twice).toMatchObject({ status: 400, data: { errors: { mapping: 'A column is mapped to two fields' } } });
		const none = await run(importActions.preview, post(core, '/inventory/import?/preview', who, {}, new FormData()));
		expect(none).toMatchObject({ status: 400, data: { errors: { file: 'Choose an .xlsx or .csv file' } } });

		// Commit: the held rows, with row 5 un-ticked.
		const commit = (rows: string, include: string[]) =>
			run(importActions.commit, post(core, '/inventory/import?/commit', who, {}, [['rows', rows], ...include.map((r): [string, string] => ['include', r])]));
		expect(await commit(preview.held, [])).toMatchObject({ status: 400, data: { errors: { form: 'Tick at least one row to import' } } });
		expect(await commit('[{"row":2,"product":{"sku":"X","priceMinor":-5}}]', ['2'])).toMatchObject({
			status: 400,
			data: { errors: { form: 'The preview could not be read: upload the file again' } }
		});
		expect(await commit('[{"row":2,"product":{"sku":"NEW"}}]', ['2'])).toMatchObject({
			status: 400,
			data: { errors: { form: 'Nothing was imported. Row 2: name is required for a new product' } }
		});
		expect(await db.prisma.product.count({ where: { tenantId } })).toBe(before);
		const done = await commit(preview.held, ['2', '4']);
		expect(done).toEqual({ step: 'commit', imported: { created: 2, updated: 0, movements: 2 } });
		const products = await core.inventory.list({ tenantId, query: 'O-1' });
		expect(products.map((p) => [p.name, p.priceMinor, p.stockOnHand])).toEqual([
			['Argan oil', 149_95, 6],
			['Comb', 25_00, 10]
		]);
		expect((await core.inventory.list({ tenantId, query: 'SP-1' }))[0]).toMatchObject({ name: 'Shine spray', priceMinor: 129_50 });
	});

	it('exports .xlsx and .csv downloads with the right headers', async () => {
		const xlsx = await exportGet(testEvent(core, '/inventory/export/xlsx', { who, params: { format: 'xlsx' } }) as unknown as Parameters<typeof exportGet>[0]);
		expect(xlsx.status).toBe(200);
		expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		expect(xlsx.headers.get('content-disposition')).toBe('attachment; filename="products-inv-2030-03-04.xlsx"');
		const book = new ExcelJS.Workbook();
		await book.xlsx.load((await xlsx.arrayBuffer()) as ExcelJS.Buffer);
		expect(book.worksheets[0]!.getRow(1).values).toEqual([undefined, 'Name', 'SKU', 'Barcode', 'Unit', 'Cost', 'Price', 'Stock', 'Low-stock threshold']);

		const csv = await exportGet(testEvent(core, '/inventory/export/csv', { who, params: { format: 'csv' } }) as unknown as Parameters<typeof exportGet>[0]);
		expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(csv.headers.get('content-disposition')).toBe('attachment; filename="products-inv-2030-03-04.csv"');
		expect(await csv.text()).toContain('Shine spray,SP-1,5700000000017,pcs,40.00,129.50,4,3');

		const pdf = await thrown(() => exportGet(testEvent(core, '/inventory/export/pdf', { who, params: { format: 'pdf' } }) as unknown as Parameters<typeof exportGet>[0]));
		expect(isHttpError(pdf) && pdf.status).toBe(404);
		const staff = await core.auth.createAccount({ tenantId, email: 'staff@inv.test', name: 'S', role: 'staff' });
		const denied = await thrown(() =>
			exportGet(testEvent(core, '/inventory/export/csv', { who: { ...who, account: staff }, params: { format: 'csv' } }) as unknown as Parameters<typeof exportGet>[0])
		);
		expect(isHttpError(denied) && denied.status).toBe(403);
	});
});
