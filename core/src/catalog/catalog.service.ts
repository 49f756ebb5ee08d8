import type { PrismaClient, Service, Tenant } from "@prisma/client";
import { found } from "../db/client.js";
import { uuidSchema } from "../validation.js";
import type { ServiceView, StaffView, TenantView } from "./catalog.types.js";

/** Reads salons, their services and staff. Throws `not_found` for unknown or foreign ids. */
export class CatalogService {
  constructor(private readonly db: PrismaClient) {}

  /** The salon with this slug. Throws `not_found`. */
  async getTenantBySlug(slug: string): Promise<TenantView> {
    return toTenantView(found(await this.db.tenant.findUnique({ where: { slug } }), `Salon "${slug}"`));
  }

  /** The salon with this id. Throws `not_found`. */
  async getTenant(tenantId: string): Promise<TenantView> {
    const id = uuidSchema.safeParse(tenantId);
    const tenant = id.success ? await this.db.tenant.findUnique({ where: { id: id.data } }) : null;
    return toTenantView(found(tenant, `Salon ${tenantId}`));
  }

  /** The oldest salon, or null when there is none (a fresh database). */
  async getDefaultTenant(): Promise<TenantView | null> {
    const tenant = await this.db.tenant.findFirst({ orderBy: { createdAt: "asc" } });
    return tenant ? toTenantView(tenant) : null;
  }

  /** Active services of a salon, in display order. */
  async listServices(tenantId: string): Promise<ServiceView[]> {
    const tenant = await this.getTenant(tenantId);
    const services = await this.db.service.findMany({
      where: { tenantId, active: true },
      orderBy: [{ sortOrder: "asc" }, { name: "asc" }],
    });
    return services.map((s) => toServiceView(s, tenant.currency));
  }

  /** One active service of the salon. Throws `not_found`. */
  async getService(tenantId: string, serviceId: string): Promise<ServiceView> {
    const tenant = await this.getTenant(tenantId);
    const id = uuidSchema.safeParse(serviceId);
    const service = id.success
      ? await this.db.service.findFirst({ where: { tenantId, id: id.data, active: true } })
      : null;
    return toServiceView(found(service, "Service"), tenant.currency);
  }

  /** Active staff who perform the service, by name. */
  async listStaffForService(tenantId: string, serviceId: string): Promise<StaffView[]> {
    await this.getService(tenantId, serviceId);
    const staff = await this.db.staff.findMany({
      where: { tenantId, active: true, services: { some: { serviceId } } },
      orderBy: { name: "asc" },
      select: { id: true, name: true },
    });
    return staff;
  }

  /** One staff member of the salon. Throws `not_found`. */
  async getStaff(tenantId: string, staffId: string): Promise<StaffView> {
    const id = uuidSchema.safeParse(staffId);
    const staff = id.success
      ? await this.db.staff.findFirst({ where: { tenantId, id: id.data }, select: { id: true, name: true } })
      : null;
    return found(staff, "Staff member");
  }
}

/** Maps a Tenant row to its view. */
export function toTenantView(t: Tenant): TenantView {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    timeZone: t.timeZone,
    currency: t.currency,
    locale: t.locale,
    country: t.country,
    slotStepMinutes: t.slotStepMinutes,
    minimumNoticeMinutes: t.minimumNoticeMinutes,
    maximumDaysAhead: t.maximumDaysAhead,
    holdMinutes: t.holdMinutes,
    cancellationCutoffMinutes: t.cancellationCutoffMinutes,
  };
}

function toServiceView(s: Service, currency: string): ServiceView {
  return {
    id: s.id,
    name: s.name,
    category: s.category,
    durationMinutes: s.durationMinutes,
    priceMinor: s.priceMinor,
    currency,
    bufferBeforeMinutes: s.bufferBeforeMinutes,
    bufferAfterMinutes: s.bufferAfterMinutes,
  };
}
