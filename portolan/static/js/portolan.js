// Portolan: small progressive enhancements
