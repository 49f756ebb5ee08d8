import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { z } from "zod";
import { DomainError } from "../errors.js";

/**
 * Reading product spreadsheets (.xlsx or CSV) into rows, suggesting which column holds what, and
 * checking each row. Nothing here writes to the database: `InventoryService.previewImport` shows
 * the result, `InventoryService.commitImport` writes only the rows the user confirmed.
 */

/** The product fields a column may be mapped to. */
export const IMPORT_FIELDS = ["name", "sku", "barcode", "unit", "cost", "price", "stock", "threshold"] as const;
/** A product field a column may be mapped to. */
export type ImportField = (typeof IMPORT_FIELDS)[number];
/** Which column (0-based index into the header row) holds each field; a missing field is not imported. */
export type ColumnMapping = Partial<Record<ImportField, number>>;
/** A cell as read: text, a number (xlsx numeric cells), or null when blank. */
export type SheetCell = string | number | null;

/** A spreadsheet read into memory: the header row and the data rows with their 1-based row numbers in the file. */
export interface Sheet {
  fileType: "xlsx" | "csv";
  headers: string[];
  rows: { row: number; cells: SheetCell[] }[];
}

/** Largest file accepted, bytes. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Most data rows accepted in one file. */
export const MAX_IMPORT_ROWS = 5000;

/**
 * One product row to import. Money in minor units. Fields left undefined are not in the file (or
 * blank there): a new product gets the defaults, an existing one (same SKU) keeps its value.
 * `stockOnHand` is the counted quantity; the difference to the current stock becomes an "import" movement.
 */
export interface ImportProduct {
  name?: string | undefined;
  sku: string | null;
  barcode?: string | undefined;
  unit?: string | undefined;
  costMinor?: number | undefined;
  priceMinor?: number | undefined;
  stockOnHand?: number | undefined;
  lowStockThreshold?: number | undefined;
}

/** A problem with one cell (or a missing required column: `column` null). `row` is the row number in the file. */
export interface ImportRowError {
  row: number;
  field: ImportField;
  /** The header of the mapped column, or null when the field is not mapped. */
  column: string | null;
  message: string;
}

/** One data row of the file after checking: either a product ready to import, or its errors. */
export type ImportRowResult =
  | { row: number; status: "valid"; action: "create" | "update"; product: ImportProduct }
  | { row: number; status: "invalid"; errors: ImportRowError[] };

/** zod schema of one row handed to `commitImport` (what the preview returned for a valid row). */
export const importProductSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  sku: z
    .string()
    .trim()
    .max(64)
    .nullish()
    .transform((v) => (v ? v : null)),
  barcode: z.string().trim().min(1).max(64).optional(),
  unit: z.string().trim().min(1).max(16).optional(),
  costMinor: z.number().int().min(0).max(1_000_000_000).optional(),
  priceMinor: z.number().int().min(0).max(1_000_000_000).optional(),
  stockOnHand: z.number().int().min(0).max(1_000_000).optional(),
  lowStockThreshold: z.number().int().min(0).max(1_000_000).optional(),
});

/**
 * Reads the first worksheet of an .xlsx file, or a CSV file (delimiter `,`, `;` or tab, sniffed
 * from the first line; UTF-8, falling back to Windows-1252), with exceljs. The type is taken from
 * the content (an .xlsx is a zip) and then the name. The first non-blank row is the header row;
 * blank rows are skipped. CSV cells stay text (no guessing of numbers or dates), so "00123" stays
 * "00123". Throws `invalid_input` for an unreadable, empty, too large or too long file, or an old .xls.
 */
export async function readSpreadsheet(file: Buffer, fileName: string): Promise<Sheet> {
  if (file.length === 0) throw new DomainError("invalid_input", "The file is empty", { field: "file" });
  if (file.length > MAX_IMPORT_BYTES) {
    throw new DomainError("invalid_input", `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`, { field: "file" });
  }
  const ext = fileName.toLowerCase().split(".").pop() ?? "";
  const isZip = file.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  const isOle = file.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
  if (isOle || ext === "xls") {
    throw new DomainError("invalid_input", "Old .xls files are not supported: save the file as .xlsx or CSV", { field: "file" });
  }
  const workbook = new ExcelJS.Workbook();
  let worksheet: ExcelJS.Worksheet | undefined;
  let fileType: Sheet["fileType"];
  if (isZip) {
    fileType = "xlsx";
    try {
      await workbook.xlsx.load(file as unknown as ExcelJS.Buffer);
    } catch {
      throw new DomainError("invalid_input", `"${fileName}" could not be read as an .xlsx file`, { field: "file" });
    }
    worksheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  } else {
    if (ext === "xlsx" || file.includes(0)) {
      throw new DomainError("invalid_input", `"${fileName}" is neither an .xlsx nor a CSV file`, { field: "file" });
    }
    fileType = "csv";
    const text = decodeText(file);
    const delimiter = sniffDelimiter(text);
    try {
      worksheet = await workbook.csv.read(Readable.from([text]), {
        parserOptions: { delimiter },
        map: (value: unknown) => value,
      });
    } catch (e) {
      throw new DomainError("invalid_input", `"${fileName}" could not be read as CSV: ${(e as Error).message}`, { field: "file" });
    }
  }
  const raw: { row: number; cells: SheetCell[] }[] = [];
  worksheet?.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    const cells = Array.from({ length: values.length }, (_, i) => toCell(values[i]));
    if (cells.some((c) => c !== null)) raw.push({ row: rowNumber, cells });
  });
  const [header, ...rows] = raw;
  if (!header) throw new DomainError("invalid_input", "The file has no rows", { field: "file" });
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new DomainError("invalid_input", `The file has ${rows.length} rows; at most ${MAX_IMPORT_ROWS} can be imported at once`, { field: "file" });
  }
  const width = Math.max(header.cells.length, ...rows.map((r) => r.cells.length));
  const headers = Array.from({ length: width }, (_, i) => {
    const h = header.cells[i];
    return h === null || h === undefined ? `Column ${columnLetter(i)}` : String(h);
  });
  return { fileType, headers, rows };
}

/** Header names (normalised: lower case, no accents, letters and digits only) per field, exact matches. */
const EXACT: Record<ImportField, string[]> = {
  name: ["name", "productname", "product", "item", "itemname", "title", "description", "navn", "produkt", "produktnavn", "varenavn", "vare", "betegnelse", "bezeichnung", "artikel", "artikelbezeichnung", "produktname", "nombre", "producto", "descripcion", "nom", "produit", "designation", "nome", "prodotto", "naam", "namn", "nimi", "nazwa", "название", "наименование", "товар"],
  sku: ["sku", "artnr", "articlenumber", "articleno", "itemno", "itemnumber", "productcode", "productno", "varenr", "varenummer", "artikelnr", "artikelnummer", "referencia", "ref", "reference", "code", "kode", "codigo", "артикул"],
  barcode: ["barcode", "ean", "ean13", "gtin", "upc", "stregkode", "strichcode", "codigodebarras", "codebarre", "codeabarres", "штрихкод"],
  unit: ["unit", "uom", "units", "enhed", "einheit", "unidad", "unite", "unita", "единица"],
  cost: ["cost", "costprice", "purchaseprice", "buyprice", "kostpris", "indkobspris", "einkaufspreis", "ek", "coste", "costo", "preciodecompra", "prixdachat", "cout", "себестоимость"],
  price: ["price", "saleprice", "salesprice", "retailprice", "sellingprice", "pris", "salgspris", "udsalgspris", "preis", "verkaufspreis", "vk", "precio", "precioventa", "prix", "prixdevente", "prezzo", "цена"],
  stock: ["stock", "stockonhand", "onhand", "qty", "quantity", "instock", "lager", "beholdning", "antal", "bestand", "menge", "existencias", "cantidad", "quantite", "inventory", "count", "остаток", "количество"],
  threshold: ["threshold", "lowstock", "lowstockthreshold", "minstock", "minimumstock", "stockmin", "reorderpoint", "reorderlevel", "min", "minimum", "minbeholdning", "minimumsbeholdning", "mindestbestand", "meldebestand", "stockminimo", "seuil"],
};
/** Substrings that point to a field, tried after exact matches in this order (threshold before stock, cost before price). */
const CONTAINS: [ImportField, string[]][] = [
  ["threshold", ["threshold", "reorder", "minstock", "lowstock", "minimum", "mindest", "minbeholdning"]],
  ["barcode", ["barcode", "ean", "gtin", "upc", "stregkode", "strichcode", "codebarre", "barras"]],
  ["sku", ["sku", "artnr", "varenr", "artikelnr", "artikelnummer", "varenummer"]],
  ["cost", ["cost", "kostpris", "indkob", "einkauf", "purchase", "coste", "costo", "achat", "cout"]],
  ["price", ["price", "pris", "preis", "precio", "prix", "prezzo"]],
  ["stock", ["stock", "qty", "quantity", "onhand", "lager", "beholdning", "bestand", "antal", "cantidad", "quantit", "existencia"]],
  ["unit", ["unit", "enhed", "einheit", "unidad"]],
  ["name", ["name", "navn", "nombre", "bezeichnung", "produkt", "product", "nom"]],
];

/**
 * Suggests a column for each field from the header names (English, Danish, German, Spanish,
 * French and a few more; case, accents, spaces and punctuation ignored): exact names first, then
 * names containing a telling word ("Sales price (DKK)" → price). Each column and each field is used once.
 */
export function suggestMapping(headers: string[]): ColumnMapping {
  const normalised = headers.map(normaliseHeader);
  const mapping: ColumnMapping = {};
  const used = new Set<number>();
  for (const field of IMPORT_FIELDS) {
    const i = normalised.findIndex((h, idx) => !used.has(idx) && EXACT[field].includes(h));
    if (i >= 0) {
      mapping[field] = i;
      used.add(i);
    }
  }
  for (const [field, words] of CONTAINS) {
    if (mapping[field] !== undefined) continue;
    const i = normalised.findIndex((h, idx) => !used.has(idx) && h !== "" && words.some((w) => h.includes(w)));
    if (i >= 0) {
      mapping[field] = i;
      used.add(i);
    }
  }
  return mapping;
}

/** The number of minor digits of an ISO 4217 currency (DKK 2, JPY 0, KWD 3), per Intl.NumberFormat. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * Reads an amount of money typed by people into minor units: "12.50", "12,50", "1 234,50",
 * "1.234,50", "1,234.50", "kr 12,50" and numeric cells all work. With one separator followed by
 * exactly three digits (and a currency of fewer minor digits), it is read as a thousands
 * separator: "1.500" = 1500. Returns null for a blank cell; an error message for anything else
 * that is not a non-negative amount with at most `digits` decimals.
 */
export function parseMoneyInput(value: SheetCell, digits: number): { minor: number } | { error: string } | null {
  if (value === null) return null;
  const scale = 10 ** digits;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) return { error: "must be an amount of 0 or more" };
    const scaled = value * scale;
    const minor = Math.round(scaled);
    if (Math.abs(scaled - minor) > 1e-6) return { error: `has more than ${digits} decimals` };
    return checkRange(minor);
  }
  const raw = value.trim();
  if (raw === "") return null;
  if (raw.includes("-")) return { error: "must be an amount of 0 or more" };
  // The number itself; around it only currency symbols or codes ("kr.", "€", "DKK") may stand.
  const number = /\d(?:[\d.,\s'’]*\d)?/u.exec(raw);
  const rest = number ? raw.slice(0, number.index) + raw.slice(number.index + number[0].length) : raw;
  if (!number || !/^\p{L}{0,3}$/u.test(rest.replace(/[\s\p{Sc}.]/gu, ""))) return { error: `"${raw}" is not an amount` };
  // Spaces (also non-breaking and thin) and apostrophes (Swiss 1'234.50) group thousands.
  const s = number[0].replace(/[\s'’]/g, "");
  // Split into thousands groups and decimals; groups after the first have exactly three digits.
  let groups: string[];
  let fracPart = "";
  const lastDot = s.lastIndexOf(".");
  const lastComma = s.lastIndexOf(",");
  if (lastDot >= 0 && lastComma >= 0) {
    const decimalAt = Math.max(lastDot, lastComma);
    groups = s.slice(0, decimalAt).split(s[decimalAt] === "." ? "," : ".");
    fracPart = s.slice(decimalAt + 1);
  } else if (lastDot >= 0 || lastComma >= 0) {
    const parts = s.split(lastDot >= 0 ? "." : ",");
    const last = parts[parts.length - 1] ?? "";
    if (parts.length > 2 || (last.length === 3 && digits < 3)) {
      groups = parts;
    } else {
      groups = [parts[0] ?? ""];
      fracPart = last;
    }
  } else {
    groups = [s];
  }
  const grouped = groups.length === 1 || (/^\d{1,3}$/.test(groups[0] ?? "") && groups.slice(1).every((g) => /^\d{3}$/.test(g)));
  const intPart = groups.join("");
  if (!grouped) return { error: `"${raw}" is not an amount` };
  if (!/^\d*$/.test(intPart) || !/^\d*$/.test(fracPart) || (intPart === "" && fracPart === "")) return { error: `"${raw}" is not an amount` };
  fracPart = fracPart.replace(/0+$/, "");
  if (fracPart.length > digits) return { error: `has more than ${digits} decimals` };
  const minor = Number(intPart || "0") * scale + Number(fracPart.padEnd(digits, "0") || "0");
  return checkRange(minor);
}

function checkRange(minor: number): { minor: number } | { error: string } {
  return Number.isSafeInteger(minor) && minor <= 1_000_000_000 ? { minor } : { error: "is too large" };
}

/** Reads a whole number of 0 or more ("12", "12.0", 12); null for blank, an error message otherwise. */
export function parseCountInput(value: SheetCell): { count: number } | { error: string } | null {
  if (value === null) return null;
  if (typeof value === "number") {
    return Number.isInteger(value) && value >= 0 && value <= 1_000_000 ? { count: value } : { error: "must be a whole number of 0 or more" };
  }
  const s = value.trim().replace(/[\s\u00a0\u202f]/g, "");
  if (s === "") return null;
  const m = /^(\d+)(?:[.,]0+)?$/.exec(s);
  if (!m) return { error: "must be a whole number of 0 or more" };
  const n = Number(m[1]);
  return n <= 1_000_000 ? { count: n } : { error: "is too large" };
}

/**
 * Checks every data row against `mapping`. A row needs a name and a price unless its SKU belongs
 * to an existing product (`existingSkus`), which it then updates; a SKU may appear once per file.
 * Money is read with `digits` minor digits (see `parseMoneyInput`).
 */
export function checkRows(sheet: Sheet, mapping: ColumnMapping, digits: number, existingSkus: ReadonlySet<string>): ImportRowResult[] {
  const seenSku = new Map<string, number>();
  return sheet.rows.map(({ row, cells }) => {
    const errors: ImportRowError[] = [];
    const columnOf = (field: ImportField) => {
      const i = mapping[field];
      return i === undefined ? null : (sheet.headers[i] ?? null);
    };
    const cell = (field: ImportField): SheetCell => {
      const i = mapping[field];
      if (i === undefined) return null;
      const v = cells[i] ?? null;
      return typeof v === "string" && v.trim() === "" ? null : v;
    };
    const fail = (field: ImportField, message: string) => errors.push({ row, field, column: columnOf(field), message });
    const textOf = (field: ImportField, max: number): string | undefined => {
      const v = cell(field);
      if (v === null) return undefined;
      const s = String(v).trim();
      if (s.length > max) fail(field, `is longer than ${max} characters`);
      return s;
    };
    const money = (field: "cost" | "price"): number | undefined => {
      const r = parseMoneyInput(cell(field), digits);
      if (r && "error" in r) fail(field, r.error);
      return r && "minor" in r ? r.minor : undefined;
    };
    const count = (field: "stock" | "threshold"): number | undefined => {
      const r = parseCountInput(cell(field));
      if (r && "error" in r) fail(field, r.error);
      return r && "count" in r ? r.count : undefined;
    };

    const sku = textOf("sku", 64) ?? null;
    const product: ImportProduct = {
      name: textOf("name", 200),
      sku,
      barcode: textOf("barcode", 64),
      unit: textOf("unit", 16),
      costMinor: money("cost"),
      priceMinor: money("price"),
      stockOnHand: count("stock"),
      lowStockThreshold: count("threshold"),
    };
    const updates = sku !== null && existingSkus.has(sku);
    if (!updates && product.name === undefined) fail("name", "is required for a new product");
    if (!updates && product.priceMinor === undefined && !errors.some((e) => e.field === "price")) fail("price", "is required for a new product");
    if (sku !== null) {
      const first = seenSku.get(sku);
      if (first !== undefined) fail("sku", `"${sku}" already appears on row ${first}`);
      else seenSku.set(sku, row);
    }
    if (errors.length > 0) return { row, status: "invalid", errors };
    return { row, status: "valid", action: updates ? "update" : "create", product: dropUndefined(product) };
  });
}

function dropUndefined(p: ImportProduct): ImportProduct {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as unknown as ImportProduct;
}

function normaliseHeader(h: string): string {
  return h
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ø/g, "o")
    .replace(/æ/g, "ae")
    .replace(/å/g, "a")
    .replace(/ß/g, "ss")
    .replace(/[^\p{L}\p{N}]/gu, "");
}

function toCell(v: unknown): SheetCell {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string") return v.trim() === "" ? null : v;
  if (typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown };
    if (Array.isArray(o.richText)) return toCell(o.richText.map((r) => r.text).join(""));
    if ("result" in o) return toCell(o.result);
    if (typeof o.text === "string") return toCell(o.text);
    if (typeof o.error === "string") return o.error;
  }
  return null;
}

function decodeText(file: Buffer): string {
  const body = file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf ? file.subarray(3) : file;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return new TextDecoder("windows-1252").decode(body);
  }
}

function sniffDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  const unquoted = firstLine.replace(/"[^"]*"/g, "");
  const counts: [string, number][] = [",", ";", "\t"].map((d) => [d, unquoted.split(d).length - 1]);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0] && counts[0][1] > 0 ? counts[0][0] : ",";
}

function columnLetter(i: number): string {
  let s = "";
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
