// Placeholder until this page is built.
export default function SilencesPage() {
  return <h1>SilencesPage</h1>;
}
