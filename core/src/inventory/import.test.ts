import { describe, expect, it } from "vitest";
import { EXPORT_HEADERS } from "./export.js";
import { minorDigits, parseCountInput, parseMoneyInput, suggestMapping } from "./import.js";

describe("parseMoneyInput", () => {
  it("reads the ways people type prices into minor units", () => {
    const cases: [string | number, number][] = [
      ["12.50", 1250],
      ["12,50", 1250],
      ["12,5", 1250],
      ["12", 1200],
      ["0", 0],
      ["1 234,50", 123450],
      ["1\u00a0234,50", 123450],
      ["1.234,50", 123450],
      ["1,234.50", 123450],
      ["1'234.50", 123450],
      ["1.500", 150000],
      ["1,234,567", 123456700],
      ["kr. 12,50", 1250],
      ["12,50 kr.", 1250],
      ["DKK 99", 9900],
      ["€9.99", 999],
      ["12.500", 1250000],
      [12.5, 1250],
      [0.1 + 0.2, 30],
    ];
    for (const [input, minor] of cases) expect(parseMoneyInput(input, 2), String(input)).toEqual({ minor });
  });
  it("uses the currency's minor digits", () => {
    expect(minorDigits("DKK")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(minorDigits("KWD")).toBe(3);
    expect(parseMoneyInput("1,500", 0)).toEqual({ minor: 1500 });
    expect(parseMoneyInput("1.5", 0)).toEqual({ error: "has more than 0 decimals" });
    expect(parseMoneyInput("1.500", 3)).toEqual({ minor: 1500 });
  });
  it("refuses what is not a non-negative amount, and treats blank as not given", () => {
    for (const bad of ["abc", "-5", "12,50 / 2", "12.345,678", "1.2.3,4,5", "12.5x7", "twelve", "12.9999", "1.23.456"]) {
      expect(parseMoneyInput(bad, 2), bad).toHaveProperty("error");
    }
    expect(parseMoneyInput(-1, 2)).toHaveProperty("error");
    expect(parseMoneyInput(12.345, 2)).toHaveProperty("error");
    expect(parseMoneyInput(null, 2)).toBeNull();
    expect(parseMoneyInput("   ", 2)).toBeNull();
  });
});

describe("parseCountInput", () => {
  it("reads whole numbers of 0 or more", () => {
    expect(parseCountInput("12")).toEqual({ count: 12 });
    expect(parseCountInput("12,0")).toEqual({ count: 12 });
    expect(parseCountInput(3)).toEqual({ count: 3 });
    expect(parseCountInput("")).toBeNull();
    for (const bad of ["-1", "1.5", "x", 2.5, -3]) expect(parseCountInput(bad), String(bad)).toHaveProperty("error");
  });
});

describe("suggestMapping", () => {
  it("maps English, Danish, German and Spanish headers, ignoring case and punctuation", () => {
    expect(suggestMapping(["Name", "SKU", "Barcode", "Unit", "Cost", "Price", "Stock", "Threshold"])).toEqual({
      name: 0, sku: 1, barcode: 2, unit: 3, cost: 4, price: 5, stock: 6, threshold: 7,
    });
    expect(suggestMapping(["Varenavn", "Varenr.", "Stregkode", "Kostpris", "Salgspris (kr)", "Antal på lager", "Min. beholdning"])).toEqual({
      name: 0, sku: 1, barcode: 2, cost: 3, price: 4, stock: 5, threshold: 6,
    });
    expect(suggestMapping(["Bezeichnung", "Artikelnummer", "EAN", "Einkaufspreis", "Verkaufspreis", "Bestand", "Mindestbestand"])).toEqual({
      name: 0, sku: 1, barcode: 2, cost: 3, price: 4, stock: 5, threshold: 6,
    });
    expect(suggestMapping(["Nombre", "Código de barras", "Precio", "Existencias"])).toEqual({ name: 0, barcode: 1, price: 2, stock: 3 });
  });
  it("maps the export's own headers back, and leaves unknown columns out", () => {
    expect(suggestMapping([...EXPORT_HEADERS])).toEqual({ name: 0, sku: 1, barcode: 2, unit: 3, cost: 4, price: 5, stock: 6, threshold: 7 });
    expect(suggestMapping(["Colour", "PRODUCT NAME", "Retail price"])).toEqual({ name: 1, price: 2 });
  });
});
