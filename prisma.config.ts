// Prisma CLI configuration. The app never reads DATABASE_URL from here (see src/config); this only
// lets a connected operator run `prisma migrate deploy` or `prisma studio` on the same folder.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/dockpulse' },
});
