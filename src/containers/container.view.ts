import type { Container } from '../generated/prisma/client.js';

export function toContainerView(container: Container) {
  return {
    id: container.id,
    hostId: container.hostId,
    dockerId: container.dockerId,
    name: container.name,
    image: container.image,
    imageId: container.imageId,
    command: container.command,
    state: container.state,
    status: container.status,
    ports: container.ports,
    labels: container.labels,
    startedAt: container.startedAt,
    removed: container.removedAt !== null,
    removedAt: container.removedAt,
    createdAt: container.createdAt,
    updatedAt: container.updatedAt,
  };
}
