from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from . import permissions, selectors
from .tabs import tabs_for


def contract_list(request):
    contracts = selectors.contract_list_for_user(request.user)
    page = Paginator(contracts, 25).get_page(request.GET.get("page"))
    return render(request, "contracts/contract_list.html", {"page_obj": page, "title": "Contrats locaux de santé"})


def contract_detail(request, pk):
    contract = selectors.contract_get_for_user(request.user, pk)
    allowed, reason = permissions.can_view_contract(request.user, contract)
    if not allowed:
        raise PermissionDenied(reason)
    return render(request, "contracts/contract_detail.html", {
        "contract": contract,
        "communes": selectors.contract_perimeter(contract),
        "population": selectors.contract_population(contract),
        "title": contract.nom,
        "contract_tabs": tabs_for(request.user, contract),
    })
