import ExcelJS from "exceljs";
import type { ProductView } from "./product.schemas.js";

/** A product file format: Excel workbook or comma-separated text (UTF-8 with BOM, "." as decimal point). */
export type ProductFileFormat = "xlsx" | "csv";

/** The column headers of an export; `suggestMapping` maps each back to its field, so an export re-imports as is. */
export const EXPORT_HEADERS = ["Name", "SKU", "Barcode", "Unit", "Cost", "Price", "Stock", "Low-stock threshold"] as const;

/**
 * Writes products to an .xlsx workbook (one sheet "Products", money as numbers in major units
 * with `digits` decimals) or a CSV file, with exceljs. Stock is stock on hand.
 */
export async function writeProductsFile(products: ProductView[], format: ProductFileFormat, digits: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(0);
  const sheet = workbook.addWorksheet("Products", { views: [{ state: "frozen", ySplit: 1 }] });
  const scale = 10 ** digits;
  const money = (minor: number) => (format === "csv" ? (minor / scale).toFixed(digits) : minor / scale);
  sheet.addRow([...EXPORT_HEADERS]);
  for (const p of products) {
    sheet.addRow([p.name, p.sku ?? "", p.barcode ?? "", p.unit, money(p.costMinor), money(p.priceMinor), p.stockOnHand, p.lowStockThreshold]);
  }
  if (format === "csv") {
    const out = await workbook.csv.writeBuffer({ formatterOptions: { writeBOM: true } });
    return Buffer.from(out as ArrayBuffer);
  }
  sheet.getRow(1).font = { bold: true };
  const widths = [32, 16, 16, 8, 12, 12, 10, 20];
  widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  const numFmt = digits > 0 ? `0.${"0".repeat(digits)}` : "0";
  sheet.getColumn(5).numFmt = numFmt;
  sheet.getColumn(6).numFmt = numFmt;
  const out = await workbook.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
