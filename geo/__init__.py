"""Places: the offline gazetteer, geocoders, disambiguation, the map page and the exports."""
