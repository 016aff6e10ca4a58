package routing

import "testing"

// TestOngoingEmergenciesUrgent: water pouring out now, smoke indoors and
// someone who has fallen and cannot get up are emergencies (nödläge); a
// question about how to report a leak, who pays for one, or a neighbour's
// barbecue is not.
func TestOngoingEmergenciesUrgent(t *testing.T) {
	cases := make(map[string]bool)
	for _, text := range []string{
		"Det forsar ut vatten ur en brunn på vår gata",
		"Vattenläcka på Kungsgatan, vattnet sprutar upp ur marken",
		"Det sprutar vatten från ett rör i källaren",
		"Det läcker vatten från taket i trapphuset",
		"Det rinner vatten genom taket in i vardagsrummet",
		"Det läcker in vatten i lägenheten från grannen ovanför",
		"Det ryker från elskåpet i trapphuset",
		"Det är rök i trappuppgången och det luktar bränt",
		"Min mamma har ramlat och kommer inte upp",
		"Pappa har fallit och ligger på golvet, han svarar inte",
	} {
		cases[text] = true
	}
	for _, text := range []string{
		"Hur anmäler jag en vattenläcka?",
		"Vem betalar för vattenläckan på min tomt?",
		"Taket läckte förra året, vem betalar reparationen?",
		"Grannens grill ryker in på vår balkong varje kväll",
		"Min mamma har ramlat flera gånger, kan hon få trygghetslarm?",
		"Soporna ligger på golvet i soprummet och ingen städar",
		"Får man röka i trapphuset?",
		"Vattnet i fontänen på Götaplatsen sprutar inte längre, är den av",
	} {
		cases[text] = false
	}
	checkUrgentWithTag(t, "nödläge", cases)
}
