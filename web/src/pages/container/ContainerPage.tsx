// Placeholder until this page is built.
export default function ContainerPage() {
  return <h1>ContainerPage</h1>;
}
